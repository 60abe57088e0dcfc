// mjml 5 ships no type declarations; this is the one function Bistro calls.
declare module 'mjml' {
  interface MjmlError {
    line: number;
    message: string;
    tagName: string;
    formattedMessage: string;
  }
  interface MjmlOptions {
    fonts?: Record<string, string>;
    keepComments?: boolean;
    validationLevel?: 'strict' | 'soft' | 'skip';
    minify?: boolean;
  }
  export default function mjml2html(input: string, options?: MjmlOptions): Promise<{ html: string; errors: MjmlError[] }>;
}
