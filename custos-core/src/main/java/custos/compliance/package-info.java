/**
 * Compliance over the store and the audit log: findings (stale agreements, access under expired agreements or retired
 * purposes, over-broad grants, dormant partners, overdue recertifications, settings-violating allows), recertification,
 * the lapse of dormant partners, period reports, and the exposure assessment of a legacy system's log. Everything here
 * carries counts, categories, ids and reasons only, never a data body: it is what an auditor may see.
 */
package custos.compliance;
