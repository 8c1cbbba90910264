/**
 * @stratum/destinations: where a tenant's events go. The store keeps each destination's settings
 * with its credentials encrypted at rest; the adapters turn resolved events into the platform's
 * documented requests and classify its answers, so the delivery-adapter service only schedules.
 */
export {};
