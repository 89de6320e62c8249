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
    ]
}
