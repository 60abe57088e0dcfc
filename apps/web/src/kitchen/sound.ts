/**
 * A short two-tone beep through WebAudio for a new ticket. Browsers start audio only after a
 * person's gesture (autoplay rules), so the context is created or resumed from a tap ("Enable
 * sound") and `ready` says whether a beep will be heard.
 */
let context: AudioContext | null = null;

export function soundReady(): boolean {
  return context?.state === 'running';
}

/** Call from a tap or key press. */
export async function enableSound(): Promise<boolean> {
  context ??= new AudioContext();
  if (context.state !== 'running') await context.resume();
  return soundReady();
}

export function beep(): void {
  if (!context || context.state !== 'running') return;
  const start = context.currentTime;
  for (const [offset, frequency] of [
    [0, 880],
    [0.18, 1320],
  ] as const) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.3, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.15);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + 0.16);
  }
}
