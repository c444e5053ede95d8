/**
 * The ledger of what onramp owns: typed entries written by converging each managed resource, read
 * by {@code onramp show}, planning, re-verification and offboarding.
 */
package dev.onramp.activities.ledger;
