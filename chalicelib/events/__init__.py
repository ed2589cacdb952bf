"""Domain events, below every domain: a change records what happened (`record(tx, event)`)
in its own transaction and knows nothing of who listens. The catalogue of events is
`kinds`; the outbox that carries them to their consumers is `outbox`."""
