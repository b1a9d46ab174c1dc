// Who a collaborator is in a notebook's presence (Yjs awareness `user` field). The server writes it
// from the signed-in account, so a client cannot show itself under someone else's name.

export const PRESENCE_COLORS = ['#d1242f', '#1a7f37', '#8250df', '#bf8700', '#0969da', '#cf222e', '#116329'] as const;

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
