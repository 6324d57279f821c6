/**
 * NUT's get_user_pwent() / become_user() (common/common.c) for upsd: the account is looked up in
 * /etc/passwd before anything else (it may not be readable later), and a root process switches
 * to it once its listeners are bound.
 */
import { readFileSync } from "node:fs";

/** One passwd entry. */
export interface SystemAccount {
  name: string;
  uid: number;
  gid: number;
}

/** Finds `name` in /etc/passwd (or in `passwdText`). */
export function findAccount(name: string, passwdText?: string): SystemAccount | undefined {
  let text = passwdText;
  if (text === undefined) {
    try {
      text = readFileSync("/etc/passwd", "utf8");
    } catch {
      return undefined;
    }
  }
  for (const line of text.split("\n")) {
    const f = line.split(":");
    if (f.length >= 4 && f[0] === name) return { name, uid: Number(f[2]), gid: Number(f[3]) };
  }
  return undefined;
}

/** become_user(): when root, takes the account's groups, group and user; returns an error text or undefined. */
export function becomeAccount(account: SystemAccount): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    (process as unknown as { initgroups?: (user: string, group: number) => void }).initgroups?.(account.name, account.gid);
    process.setgid?.(account.gid);
    process.setuid?.(account.uid);
  } catch (err) {
    return `become_user: ${(err as Error).message}`;
  }
  return undefined;
}
