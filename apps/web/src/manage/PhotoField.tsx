import { useEffect, useId, useState } from 'react';
import { bistroErrorCode } from '@bistro/client';
import { MAX_PHOTO_BYTES } from '@bistro/domain';
import { errorMessage } from '../lib/messages';
import type { EditItem } from './menu-types';
import { uploadPhoto } from './upload';
import styles from './manage.module.css';

/** The photo's refusals as the field says them (the server decides; these only word it). */
function photoRefusal(error: unknown): string {
  const code = bistroErrorCode(error);
  if (code === 'PAYLOAD_TOO_LARGE' || code === 'PHOTO_TOO_LARGE') return `That photo is too large: at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB.`;
  return errorMessage(error);
}

/**
 * An item's photo: the current one, and a file field that previews the chosen file at once,
 * uploads it with a progress bar, and shows the server's refusal (too large, not an image) on
 * the field itself.
 */
export function PhotoField({ item, onUploaded }: { item: EditItem; onUploaded: () => Promise<void> }) {
  const id = useId();
  const [preview, setPreview] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  useEffect(() => () => {
    if (preview) URL.revokeObjectURL(preview);
  }, [preview]);

  const choose = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    setDone(false);
    setPreview(URL.createObjectURL(file));
    setProgress(0);
    try {
      await uploadPhoto(item.id, file, setProgress);
      await onUploaded();
      setPreview(null);
      setDone(true);
    } catch (refusal) {
      setPreview(null);
      setError(photoRefusal(refusal));
    } finally {
      setProgress(null);
    }
  };

  const shown = preview ?? item.photo?.large ?? null;
  return (
    <section className={styles.section} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Photo</h3>
      {shown ? (
        <img className={styles.preview} src={shown} alt={preview ? 'Preview of the chosen photo' : `Photo of ${item.name}`} width={240} height={180} />
      ) : (
        <p className={styles.muted}>No photo yet.</p>
      )}
      <div className={styles.field}>
        <label htmlFor={id} className={styles.label}>
          {item.photo ? 'Replace the photo' : 'Choose a photo'}
        </label>
        <input
          id={id}
          className={styles.fileInput}
          type="file"
          accept="image/jpeg,image/png,image/webp"
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
          disabled={progress !== null}
          onChange={(event) => {
            void choose(event.target.files?.[0]);
            event.target.value = '';
          }}
        />
        <span id={`${id}-hint`} className={styles.muted}>
          JPEG, PNG or WebP, up to {MAX_PHOTO_BYTES / 1024 / 1024} MB.
        </span>
        {error ? (
          <span id={`${id}-error`} className={styles.fieldError} role="alert">
            {error}
          </span>
        ) : null}
      </div>
      {progress !== null ? (
        <label className={styles.field}>
          Uploading…
          <progress className={styles.progress} value={progress} max={1} />
        </label>
      ) : null}
      {done ? <p role="status">Photo saved.</p> : null}
    </section>
  );
}
