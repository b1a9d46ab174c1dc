// Who a collaborator is in a notebook's presence (Yjs awareness `user` field). The server writes it
// from the signed-in account, so a client cannot show itself under someone else's name.

/**
 * Twelve colours far apart in hue and lightness (after Okabe–Ito and Tableau 10), so two people in one
 * room never look alike; the room hands them out in order (roomColor).
 */
export const PRESENCE_COLORS = [
  '#0072b2',
  '#d55e00',
  '#009e73',
  '#cc79a7',
  '#e69f00',
  '#56b4e9',
  '#7f3c8d',
  '#2f4b7c',
  '#8c564b',
  '#17becf',
  '#bcbd22',
  '#e15759',
] as const;

export interface PresenceUser {
  id: string;
  name: string;
  color: string;
}

/** The stable colour of a user across pages and sessions. */
export function presenceColor(userId: string): string {
  let h = 0;
  for (let i = 0; i < userId.length; i++) h = (h * 31 + userId.charCodeAt(i)) | 0;
  return PRESENCE_COLORS[Math.abs(h) % PRESENCE_COLORS.length]!;
}

/** The presence entry of an account: its name, else its email. */
export function presenceUser(user: { id: string; name: string; email: string }): PresenceUser {
  return { id: user.id, name: user.name || user.email, color: presenceColor(user.id) };
}

/**
 * The colour a user gets in a room: the one they already have there (another tab), else their usual
 * colour when nobody in the room wears it, else the first colour nobody in the room wears.
 */
export function roomColor(userId: string, taken: ReadonlyMap<string, string>): string {
  const own = taken.get(userId);
  if (own) return own;
  const used = new Set(taken.values());
  const usual = presenceColor(userId);
  if (!used.has(usual)) return usual;
  return PRESENCE_COLORS.find((c) => !used.has(c)) ?? usual;
}
