export async function benchFanOut(_t: unknown): Promise<string> { return "fan-out: todo"; }
