/**
 * NUT's get_user_pwent()/become_user() (common/common.c), shared by upsd, the drivers and the
 * other daemons: look the account up in the system's user database and, when running as root,
 * switch to it (supplementary groups, group, user).
 */
import { readFileSync } from "node:fs";

/** One passwd entry. */
export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

/** Finds `name` in /etc/passwd (or `passwdText`), or undefined. */
export function findSystemUser(name: string, passwdText?: string): SystemUser | undefined {
  return readPasswd(passwdText).find((u) => u.name === name);
}

/** The account of a uid (Bun's os.userInfo() answers "unknown" for the name). */
export function findSystemUserById(uid: number, passwdText?: string): SystemUser | undefined {
  return readPasswd(passwdText).find((u) => u.uid === uid);
}

function readPasswd(passwdText: string | undefined): SystemUser[] {
  let text = passwdText;
  if (text === undefined) {
    try {
      text = readFileSync("/etc/passwd", "utf8");
    } catch {
      return [];
    }
  }
  const users: SystemUser[] = [];
  for (const line of text.split("\n")) {
    const f = line.split(":");
    if (f.length >= 4 && f[0] !== "") users.push({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]) });
  }
  return users;
}

/** Switches to `user` if this process is root; returns an error text or undefined. */
export function becomeUser(user: SystemUser): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    (process as unknown as { initgroups?: (user: string, group: number) => void }).initgroups?.(user.name, user.gid);
  } catch (err) {
    return `initgroups: ${(err as Error).message}`;
  }
  try {
    process.setgid?.(user.gid);
  } catch (err) {
    return `setgid: ${(err as Error).message}`;
  }
  try {
    process.setuid?.(user.uid);
  } catch (err) {
    return `setuid: ${(err as Error).message}`;
  }
  return undefined;
}
