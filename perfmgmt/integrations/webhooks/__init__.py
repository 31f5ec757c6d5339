"""Signed outbound webhooks: owners register endpoints, feature services emit events.

- `catalogue`: the fixed list of event types, what each payload carries, and the API scope
  a key needs to read it (payloads follow an API key's reader rules).
- `events.emit()`: called by the service that makes a change, inside its transaction; it
  writes the event and one delivery per subscribed endpoint (an outbox) and queues the
  deliveries after commit, a batch of ids a broker message (`queueing`).
- `delivery`: one attempt of one delivery, or of a batch of them bounded by time (Standard
  Webhooks headers, HMAC-SHA256), the retry schedule (exponential backoff with jitter for
  up to three days) and auto-disabling an endpoint that has failed for days, with a
  notification to the owners.
- `ssrf`: the only way a delivery reaches the network (checked, pinned address, no
  redirects, short timeouts, bounded reads).
- services/selectors/policies/api/views/tasks: the usual shape.
"""
