extension Migration {
    /// The SQLite schema, oldest first. Times are INTEGER microseconds since 1970 (UTC), so they order exactly
    /// and map to PostgreSQL `bigint` unchanged.
    public static let sqlite: [Migration] = [
        Migration(
            version: 1, name: "identity",
            statements: [
                """
                CREATE TABLE organisations (
                    name TEXT PRIMARY KEY NOT NULL,
                    display_name TEXT NOT NULL,
                    created_us INTEGER NOT NULL
                )
                """,
                """
                CREATE TABLE users (
                    name TEXT PRIMARY KEY NOT NULL,
                    organisation TEXT NOT NULL REFERENCES organisations(name),
                    created_us INTEGER NOT NULL
                )
                """,
                "CREATE INDEX users_organisation ON users(organisation)",
                """
                CREATE TABLE user_roles (
                    user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
                    role TEXT NOT NULL,
                    PRIMARY KEY (user_name, role)
                )
                """,
                """
                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY NOT NULL,
                    user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
                    prefix TEXT NOT NULL,
                    hash BLOB NOT NULL,
                    created_us INTEGER NOT NULL,
                    last_used_us INTEGER,
                    revoked_us INTEGER
                )
                """,
                "CREATE INDEX api_keys_user ON api_keys(user_name, created_us)",
            ]
        ),
        Migration(
            version: 2, name: "catalogue",
            statements: [
                """
                CREATE TABLE objects (
                    norad_id INTEGER PRIMARY KEY NOT NULL,
                    cospar_id TEXT,
                    name TEXT NOT NULL,
                    object_type TEXT NOT NULL,
                    owner TEXT REFERENCES organisations(name),
                    marking TEXT NOT NULL,
                    launch_date TEXT,
                    decay_date TEXT,
                    updated_us INTEGER NOT NULL
                )
                """,
                "CREATE INDEX objects_owner ON objects(owner, norad_id)",
                "CREATE INDEX objects_updated ON objects(updated_us)",
                """
                CREATE TABLE element_sets (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    norad_id INTEGER NOT NULL REFERENCES objects(norad_id) ON DELETE CASCADE,
                    epoch TEXT NOT NULL,
                    epoch_us INTEGER NOT NULL,
                    omm_json TEXT NOT NULL,
                    received_us INTEGER NOT NULL,
                    source TEXT NOT NULL,
                    UNIQUE (norad_id, epoch_us, source)
                )
                """,
                "CREATE INDEX element_sets_history ON element_sets(norad_id, epoch_us, id)",
                "CREATE INDEX element_sets_received ON element_sets(received_us)",
            ]
        ),
        Migration(
            version: 3, name: "audit",
            statements: [
                """
                CREATE TABLE audit_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    time_us INTEGER NOT NULL,
                    user_name TEXT NOT NULL,
                    organisation TEXT NOT NULL,
                    action TEXT NOT NULL,
                    resource TEXT NOT NULL,
                    effect TEXT NOT NULL,
                    rule_id TEXT,
                    policy_revision TEXT NOT NULL,
                    request_id TEXT,
                    route TEXT
                )
                """,
                "CREATE INDEX audit_log_time ON audit_log(time_us, id)",
                "CREATE INDEX audit_log_user ON audit_log(user_name, time_us, id)",
                // The catalogue's change counter (`CatalogueRevision.changeCount`), bumped by triggers in the
                // writing transaction so that every write, whatever its SQL, changes the revision.
                "CREATE TABLE catalogue_revision (id INTEGER PRIMARY KEY CHECK (id = 1), changes INTEGER NOT NULL)",
                "INSERT INTO catalogue_revision (id, changes) VALUES (1, 0)",
            ]
                + ["objects", "element_sets"].flatMap { table in
                    ["INSERT", "UPDATE", "DELETE"].map { event in
                        """
                        CREATE TRIGGER \(table)_\(event.lowercased())_revision AFTER \(event) ON \(table)
                        BEGIN UPDATE catalogue_revision SET changes = changes + 1; END
                        """
                    }
                }
        ),
        Migration(
            version: 4, name: "certificate_subject",
            statements: [
                // `User.certificateSubject` in `CertificateSubject.canonical(_:)` form; NULLs do not collide.
                "ALTER TABLE users ADD COLUMN certificate_subject TEXT",
                "CREATE UNIQUE INDEX users_certificate_subject ON users(certificate_subject)",
            ]
        ),
        Migration(
            version: 5, name: "products",
            statements: [
                // Products (issue 5): the submission as received, its model as the project's JSON, and the
                // facts listings filter on. Lists are JSON arrays for reading; the tables below index them.
                """
                CREATE TABLE products (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL,
                    encoding TEXT NOT NULL,
                    bytes BLOB NOT NULL,
                    message_json TEXT NOT NULL,
                    content_hash TEXT NOT NULL,
                    submitter TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    source TEXT,
                    created_us INTEGER,
                    received_us INTEGER NOT NULL,
                    marking TEXT NOT NULL,
                    marking_kind TEXT NOT NULL,
                    data_mode TEXT NOT NULL,
                    norad_ids TEXT NOT NULL,
                    owner_organisations TEXT NOT NULL,
                    participants TEXT NOT NULL,
                    time_start_us INTEGER,
                    time_stop_us INTEGER,
                    collision_probability REAL,
                    miss_distance_m REAL,
                    record_count INTEGER NOT NULL
                )
                """,
                // The same bytes twice are one product, also when they arrive on two connections at once.
                "CREATE UNIQUE INDEX products_content_hash ON products(content_hash)",
                "CREATE INDEX products_kind ON products(kind, id)",
                "CREATE INDEX products_received ON products(received_us)",
                "CREATE INDEX products_time ON products(time_start_us, time_stop_us)",
                "CREATE INDEX products_pc ON products(collision_probability)",
                "CREATE INDEX products_provider ON products(provider, id)",
                "CREATE INDEX products_marking ON products(marking_kind, id)",
                """
                CREATE TABLE product_objects (
                    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                    norad_id INTEGER NOT NULL,
                    PRIMARY KEY (product_id, norad_id)
                )
                """,
                "CREATE INDEX product_objects_norad ON product_objects(norad_id, product_id)",
                """
                CREATE TABLE product_participants (
                    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                    participant TEXT NOT NULL,
                    PRIMARY KEY (product_id, participant)
                )
                """,
                "CREATE INDEX product_participants_name ON product_participants(participant, product_id)",
                // `ProductScope`'s index: the organisations a product reaches as owner (of an object it concerns,
                // at ingest), provider or partner (named by a `partners:` marking).
                """
                CREATE TABLE product_organisations (
                    organisation TEXT NOT NULL,
                    role TEXT NOT NULL,
                    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                    PRIMARY KEY (organisation, role, product_id)
                )
                """,
                "CREATE INDEX product_organisations_product ON product_organisations(product_id)",
                // The feed. Ids come from `feed_head`, bumped in the writing transaction: SQLite has one writer at a
                // time, so ids are gap-free and in commit order (a rolled-back write rolls the counter back too).
                "CREATE TABLE feed_head (id INTEGER PRIMARY KEY CHECK (id = 1), last_id INTEGER NOT NULL)",
                "INSERT INTO feed_head (id, last_id) VALUES (1, 0)",
                """
                CREATE TABLE feed_events (
                    id INTEGER PRIMARY KEY NOT NULL,
                    type TEXT NOT NULL,
                    product_id INTEGER REFERENCES products(id),
                    kind TEXT,
                    norad_ids TEXT NOT NULL,
                    owner_organisations TEXT NOT NULL,
                    provider TEXT,
                    marking TEXT,
                    marking_kind TEXT,
                    time_us INTEGER NOT NULL,
                    details TEXT
                )
                """,
                "CREATE INDEX feed_events_type ON feed_events(type, id)",
                "CREATE INDEX feed_events_product ON feed_events(product_id)",
                "CREATE INDEX feed_events_marking ON feed_events(marking_kind, id)",
                """
                CREATE TABLE feed_event_organisations (
                    organisation TEXT NOT NULL,
                    role TEXT NOT NULL,
                    event_id INTEGER NOT NULL REFERENCES feed_events(id) ON DELETE CASCADE,
                    PRIMARY KEY (organisation, role, event_id)
                )
                """,
            ]
        ),
        Migration(
            version: 6, name: "subscriptions",
            statements: [
                // Push subscriptions (issue 10 §1): the filter's lists are JSON arrays; the channel's columns that
                // its type does not use are NULL; secrets and the SSH key pair never leave the store.
                """
                CREATE TABLE subscriptions (
                    id TEXT PRIMARY KEY NOT NULL,
                    owner TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
                    topic TEXT NOT NULL,
                    objects TEXT NOT NULL,
                    min_pc REAL,
                    max_miss_m REAL,
                    provider TEXT,
                    participant TEXT,
                    kinds TEXT NOT NULL,
                    format TEXT NOT NULL,
                    channel_type TEXT NOT NULL,
                    channel_url TEXT,
                    channel_username TEXT,
                    channel_host_key_sha256 TEXT,
                    state TEXT NOT NULL,
                    state_reason TEXT,
                    created_us INTEGER NOT NULL,
                    updated_us INTEGER NOT NULL,
                    secret_current TEXT,
                    secret_previous TEXT,
                    secret_previous_expires_us INTEGER,
                    ssh_private_key TEXT,
                    ssh_public_key TEXT
                )
                """,
                "CREATE INDEX subscriptions_owner ON subscriptions(owner, id)",
                // The outbox (issue 10 §5): one row per (subscription, event), created by the fan-out.
                """
                CREATE TABLE deliveries (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    subscription_id TEXT NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
                    event_id INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL,
                    next_attempt_us INTEGER,
                    created_us INTEGER NOT NULL,
                    last_attempt_us INTEGER,
                    last_error_class TEXT,
                    last_status INTEGER,
                    last_error TEXT,
                    delivered_us INTEGER,
                    UNIQUE (subscription_id, event_id)
                )
                """,
                // What the workers claim: only open deliveries, by due time (delivered and dead ones are not indexed).
                """
                CREATE INDEX deliveries_due ON deliveries(next_attempt_us, id)
                WHERE state IN ('pending', 'failed')
                """,
                "CREATE INDEX deliveries_subscription ON deliveries(subscription_id, id)",
                // How far the fan-out has read the feed: one row, moved by compare-and-set.
                "CREATE TABLE fanout_cursor (id INTEGER PRIMARY KEY CHECK (id = 1), last_event_id INTEGER NOT NULL)",
                "INSERT INTO fanout_cursor (id, last_event_id) VALUES (1, 0)",
            ]
        ),
        Migration(
            version: 7, name: "observation_requests",
            statements: [
                // Observation requests (issue 11): the target is a NORAD id, an inline orbit or both; lists and the
                // schedule are JSON; the proposed window stays once a proposal is answered.
                """
                CREATE TABLE observation_requests (
                    id TEXT PRIMARY KEY NOT NULL,
                    requester TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
                    organisation TEXT NOT NULL,
                    state TEXT NOT NULL,
                    norad_id INTEGER,
                    orbit_kind TEXT,
                    orbit_text TEXT,
                    orbit_object_name TEXT,
                    orbit_object_id TEXT,
                    window_start_us INTEGER NOT NULL,
                    window_stop_us INTEGER NOT NULL,
                    measurements TEXT NOT NULL,
                    tracks INTEGER NOT NULL,
                    priority TEXT NOT NULL,
                    sensor TEXT,
                    purpose TEXT,
                    marking TEXT NOT NULL,
                    created_us INTEGER NOT NULL,
                    updated_us INTEGER NOT NULL,
                    idempotency_key TEXT,
                    body_digest TEXT,
                    proposed_start_us INTEGER,
                    proposed_stop_us INTEGER,
                    schedule TEXT NOT NULL
                )
                """,
                // Keys are per requester; NULLs (no key) never collide. Two identical submissions racing each other
                // are one request: the second insert fails here and finds the first.
                """
                CREATE UNIQUE INDEX observation_requests_idempotency ON observation_requests(requester, idempotency_key)
                """,
                // Listings newest first: all, per requester (also the per-day counts: created since a time), by
                // state, by object.
                "CREATE INDEX observation_requests_created ON observation_requests(created_us, id)",
                "CREATE INDEX observation_requests_requester ON observation_requests(requester, created_us, id)",
                "CREATE INDEX observation_requests_state ON observation_requests(state, created_us, id)",
                "CREATE INDEX observation_requests_norad ON observation_requests(norad_id, created_us, id)",
                // The open-requests quota: only requests not yet final are indexed.
                """
                CREATE INDEX observation_requests_open ON observation_requests(requester)
                WHERE state NOT IN ('REJECTED', 'DELIVERED', 'FAILED', 'CANCELLED')
                """,
                // Every transition, numbered from 1 per request, with the feed event recording it.
                """
                CREATE TABLE observation_request_history (
                    request_id TEXT NOT NULL REFERENCES observation_requests(id) ON DELETE CASCADE,
                    seq INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    time_us INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    user_name TEXT,
                    reason TEXT,
                    event_id INTEGER NOT NULL,
                    PRIMARY KEY (request_id, seq)
                )
                """,
                """
                CREATE TABLE observation_request_products (
                    request_id TEXT NOT NULL REFERENCES observation_requests(id) ON DELETE CASCADE,
                    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                    PRIMARY KEY (request_id, product_id)
                )
                """,
                "CREATE INDEX observation_request_products_product ON observation_request_products(product_id)",
                // The backend outbox (issue 11 §4): commands in queueing order, sent in order per request.
                """
                CREATE TABLE backend_commands (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    request_id TEXT NOT NULL REFERENCES observation_requests(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL,
                    created_us INTEGER NOT NULL,
                    next_attempt_us INTEGER NOT NULL,
                    completed_us INTEGER,
                    last_error TEXT
                )
                """,
                // What the forwarder claims (only pending commands are indexed) and the older-pending check per
                // request.
                "CREATE INDEX backend_commands_due ON backend_commands(next_attempt_us, id) WHERE state = 'pending'",
                "CREATE INDEX backend_commands_request ON backend_commands(request_id, id)",
            ]
        ),
        Migration(
            version: 8, name: "observation_request_quotas",
            statements: [
                // The per-day quotas (requests and tracks created since a time) read this index only: the listing
                // order per requester, with the tracks.
                "DROP INDEX observation_requests_requester",
                "CREATE INDEX observation_requests_requester ON observation_requests(requester, created_us, id, tracks)",
            ]
        ),
    ]
}
