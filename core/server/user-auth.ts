/**
 * upsd's credential checks (server/user.c user_checkaction() / user_checkinstcmd()): find the
 * user by exact name (users without a password are skipped), the password must match exactly,
 * then the action (case-insensitive) or the instant command (case-insensitive, or `all`) must be
 * granted. Any failure is a plain "no": upsd answers ERR ACCESS-DENIED whatever the reason.
 * Passwords are compared in constant time.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { UpsdUser, UpsdUsers } from "../config/upsd-users.ts";

/** Compares two secrets without leaking where they differ or how long the stored one is. */
export function secretsEqual(given: string, stored: string): boolean {
  // digests have equal lengths, so timingSafeEqual never throws and the length stays hidden
  const a = createHash("sha256").update(given, "latin1").digest();
  const b = createHash("sha256").update(stored, "latin1").digest();
  return timingSafeEqual(a, b) && given === stored;
}

/** Why a check failed, for the log; undefined when it passed. */
export type AuthFailure = "no-credentials" | "unknown-user" | "bad-password" | "not-allowed";

/** The user `username`/`password` authenticate, or why not (users without a password never match). */
function authenticate(users: UpsdUsers, username: string | undefined, password: string | undefined): UpsdUser | AuthFailure {
  if (username === undefined || password === undefined) return "no-credentials";
  const user = users.users.find((u) => u.password !== undefined && u.name === username);
  if (!user) return "unknown-user";
  return secretsEqual(password, user.password!) ? user : "bad-password";
}

/** user_checkaction(): the reason the action is refused, or undefined when it is granted. */
export function checkAction(users: UpsdUsers, username: string | undefined, password: string | undefined, action: string): AuthFailure | undefined {
  const user = authenticate(users, username, password);
  if (typeof user === "string") return user;
  return user.actions.has(action.toLowerCase()) ? undefined : "not-allowed";
}

/** user_checkinstcmd(): the reason the command is refused, or undefined when it is granted. */
export function checkInstcmd(users: UpsdUsers, username: string | undefined, password: string | undefined, command: string): AuthFailure | undefined {
  const user = authenticate(users, username, password);
  if (typeof user === "string") return user;
  const lower = command.toLowerCase();
  return user.instcmds.some((c) => c.toLowerCase() === lower || c.toLowerCase() === "all") ? undefined : "not-allowed";
}
