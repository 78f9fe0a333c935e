/** The time as the business sees it. Tests inject a clock they can move. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
