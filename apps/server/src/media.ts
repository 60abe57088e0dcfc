import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type * as S3SdkModule from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';

type S3Sdk = typeof S3SdkModule;
import { BistroError, FolderMediaStorage, isMediaName, type MediaObject, type MediaStorage } from '@bistro/api';
import { MAX_PHOTO_BYTES } from '@bistro/domain';
import type { Config, S3Config } from './config.js';
import { sendRefusal } from './refusals.js';

/** Photos go to the S3-compatible bucket when S3_* is configured, else to MEDIA_DIR. */
export function createMediaStorage(config: Pick<Config, 'mediaDir' | 's3'>): MediaStorage {
  return config.s3 ? new S3MediaStorage(config.s3) : new FolderMediaStorage(config.mediaDir);
}

/**
 * Photos in an S3-compatible bucket (AWS, MinIO, R2 …), served through Bistro's `/media/` like
 * the folder's, so URLs don't depend on where files live. Not tested against a real bucket here.
 */
export class S3MediaStorage implements MediaStorage {
  readonly #s3: S3Config;
  #connected: Promise<{ sdk: S3Sdk; client: S3Client }> | undefined;

  constructor(s3: S3Config) {
    this.#s3 = s3;
  }

  /** The SDK is large: it is loaded on the first use of the bucket. */
  #connect() {
    const s3 = this.#s3;
    return (this.#connected ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        region: s3.region,
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
        // Self-hosted S3 (MinIO and the like) usually wants bucket-in-path URLs.
        ...(s3.endpoint ? { endpoint: s3.endpoint, forcePathStyle: true } : {}),
      }),
    })));
  }

  async put(name: string, body: Uint8Array, contentType: string): Promise<void> {
    const { sdk, client } = await this.#connect();
    // An object appears whole or not at all, so no temporary name is needed.
    await client.send(new sdk.PutObjectCommand({ Bucket: this.#s3.bucket, Key: name, Body: body, ContentType: contentType, CacheControl: IMMUTABLE }));
  }

  async delete(name: string): Promise<void> {
    const { sdk, client } = await this.#connect();
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.#s3.bucket, Key: name }));
  }

  async get(name: string): Promise<MediaObject | null> {
    if (!isMediaName(name)) return null;
    const { sdk, client } = await this.#connect();
    try {
      const object = await client.send(new sdk.GetObjectCommand({ Bucket: this.#s3.bucket, Key: name }));
      if (!object.Body || object.ContentLength === undefined) return null;
      return { body: object.Body as Readable, size: object.ContentLength };
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if ((error as Error).name === 'NoSuchKey' || status === 404) return null;
      throw error;
    }
  }

  url(name: string): string {
    return `/media/${name}`;
  }

  async close(): Promise<void> {
    if (this.#connected) (await this.#connected.catch(() => undefined))?.client.destroy();
  }
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The largest request body the tRPC route reads: a 5 MiB photo plus the form's own overhead. */
export const MAX_UPLOAD_BODY_BYTES = MAX_PHOTO_BYTES + 64 * 1024;

/**
 * `GET /media/<key>-<width>.webp`: stored photos, cached for ever (their names are content
 * hashes). Only names of that exact shape are looked up, so nothing else can be reached.
 */
export function registerMedia(app: FastifyInstance, media: MediaStorage): void {
  app.get<{ Params: { name: string } }>('/media/:name', async (req, reply) => {
    const { name } = req.params;
    const file = isMediaName(name) ? await media.get(name) : null;
    if (!file) return reply.code(404).header('cache-control', 'no-store').send({ status: 'not found' });
    return reply
      .header('content-type', 'image/webp')
      .header('content-length', file.size)
      .header('cache-control', IMMUTABLE)
      .header('x-content-type-options', 'nosniff')
      .send(file.body);
  });
}

/**
 * A multipart upload that declares a body larger than a photo may be is answered 413
 * (PHOTO_TOO_LARGE) before any of it is read. A body without a length is cut off by the tRPC
 * adapter's maxBodySize instead.
 */
export function registerUploadLimit(app: FastifyInstance, prefix: string): void {
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'POST' || !req.url.startsWith(`${prefix}/`)) return;
    if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) return;
    const length = Number(req.headers['content-length']);
    if (!(length > MAX_UPLOAD_BODY_BYTES)) return;
    // The body is not read: say so, so the connection isn't reused with it still in flight.
    return sendRefusal(reply.header('connection', 'close'), prefix, new BistroError('PHOTO_TOO_LARGE', 'The photo is larger than 5 MB'));
  });
}
