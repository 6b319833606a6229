/**
 * The lock-protected ATM account as an actor: {@link dev.actorkit.patterns.account.Account}
 * (exactly-once operations by request id, fencing tokens) and {@link
 * dev.actorkit.patterns.account.Bank} (transfers between accounts that neither create nor lose
 * money).
 */
package dev.actorkit.patterns.account;
