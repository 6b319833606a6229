/**
 * The executor under the kit's coordination dispatcher: {@link
 * dev.actorkit.core.dispatch.SpinningExecutor}, whose idle threads spin briefly before they park so
 * that request-reply hops between actors rarely pay for a thread wake-up.
 */
package dev.actorkit.core.dispatch;
