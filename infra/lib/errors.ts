/** A construct prop that is out of range: names the prop, the value received and what is allowed. */
export class InvalidPropError extends Error {
  public readonly prop: string;
  constructor(construct: string, prop: string, received: unknown, allowed: string) {
    super(`${construct}: invalid ${prop} ${JSON.stringify(received)}; expected ${allowed}`);
    this.name = 'InvalidPropError';
    this.prop = prop;
  }
}
