/**
 * The lock-protected ATM account as an actor: {@link dev.actorkit.patterns.account.Account}
 * (exactly-once operations by request id, fencing tokens) and {@link
 * dev.actorkit.patterns.account.Bank} (transfers between accounts that neither create nor lose
 * money).
 *
 * <p>The story, the Python names and examples are in {@code docs/mutex.md} in the repository; the
 * rules are the Javadoc of each class, which that page gives in short and links to.
 */
package dev.actorkit.patterns.account;
