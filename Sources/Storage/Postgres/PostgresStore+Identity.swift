import Foundation
import GatewayCore
import Policy
import PostgresNIO

extension PostgresStore: IdentityStore {
    /// Adds an organisation.
    public func createOrganisation(_ organisation: Organisation) async throws(StoreError) {
        guard !organisation.name.isEmpty else { throw .invalid("an organisation needs a name") }
        try await transaction { db in
            if try await Self.organisationExists(db, organisation.name, self.logger) {
                throw StoreError.conflict(entity: "organisation", key: organisation.name, reason: "already exists")
            }
            _ = try await db.rows(
                """
                INSERT INTO organisations (name, display_name, created_us)
                VALUES (\(organisation.name), \(organisation.displayName),
                        \(StoreTime.microseconds(organisation.created)))
                """, self.logger)
        }
    }

    /// The organisation named `name`.
    public func organisation(named name: String) async throws(StoreError) -> Organisation {
        let found = try await rows("SELECT name, display_name, created_us FROM organisations WHERE name = \(name)")
        guard let row = found.first else { throw .notFound(entity: "organisation", key: name) }
        return try Self.decoding { try Self.organisation(row) }
    }

    /// Every organisation, by name.
    public func organisations() async throws(StoreError) -> [Organisation] {
        let found = try await rows("SELECT name, display_name, created_us FROM organisations ORDER BY name")
        return try Self.decoding { try found.map(Self.organisation) }
    }

    /// Replaces the organisation's display name.
    public func updateOrganisation(_ organisation: Organisation) async throws(StoreError) {
        let changed = try await rows(
            """
            UPDATE organisations SET display_name = \(organisation.displayName) WHERE name = \(organisation.name)
            RETURNING name
            """)
        if changed.isEmpty { throw .notFound(entity: "organisation", key: organisation.name) }
    }

    /// Removes an organisation that nothing refers to.
    public func deleteOrganisation(named name: String) async throws(StoreError) {
        try await transaction { db in
            // Locks the row, so no user or object can start referring to it before the delete.
            let locked = try await db.rows("SELECT 1 FROM organisations WHERE name = \(name) FOR UPDATE", self.logger)
            guard !locked.isEmpty else { throw StoreError.notFound(entity: "organisation", key: name) }
            let counts = try await db.rows(
                """
                SELECT (SELECT count(*) FROM users WHERE organisation = \(name)),
                       (SELECT count(*) FROM objects WHERE owner = \(name))
                """, self.logger)
            let (users, objects) = try counts[0].decode((Int, Int).self)
            if users + objects > 0 {
                throw StoreError.conflict(
                    entity: "organisation", key: name,
                    reason: "still has \(users) user(s) and owns \(objects) object(s)")
            }
            _ = try await db.rows("DELETE FROM organisations WHERE name = \(name)", self.logger)
        }
    }

    /// Adds a user with roles.
    public func createUser(_ user: User) async throws(StoreError) {
        let user = try User.validated(user)
        try await transaction { db in
            if try await Self.userExists(db, user.name, self.logger) {
                throw StoreError.conflict(entity: "user", key: user.name, reason: "already exists")
            }
            guard try await Self.organisationExists(db, user.organisation, self.logger, lock: true) else {
                throw StoreError.notFound(entity: "organisation", key: user.organisation)
            }
            try await Self.checkSubjectFree(db, user, self.logger)
            _ = try await db.rows(
                """
                INSERT INTO users (name, organisation, certificate_subject, created_us)
                VALUES (\(user.name), \(user.organisation), \(user.certificateSubject),
                        \(StoreTime.microseconds(user.created)))
                """, self.logger)
            try await Self.insertRoles(db, user, self.logger)
        }
    }

    /// The user named `name`, with roles.
    public func user(named name: String) async throws(StoreError) -> User {
        guard let user = try await users(name: name).first else {
            throw .notFound(entity: "user", key: name)
        }
        return user
    }

    /// The user whose certificate subject is `certificateSubject`, compared in canonical form.
    public func user(certificateSubject: String) async throws(StoreError) -> User {
        let subject = try User.canonicalSubject(forLookup: certificateSubject)
        guard let user = try await users(certificateSubject: subject).first else {
            throw .notFound(entity: "certificate subject", key: certificateSubject)
        }
        return user
    }

    /// Users by name, only those of `organisation` when given.
    public func users(organisation: String?) async throws(StoreError) -> [User] {
        try await users(organisation: organisation, name: nil)
    }

    /// Replaces a user's organisation, roles and certificate subject.
    public func updateUser(_ user: User) async throws(StoreError) {
        let user = try User.validated(user)
        try await transaction { db in
            guard try await Self.userExists(db, user.name, self.logger) else {
                throw StoreError.notFound(entity: "user", key: user.name)
            }
            guard try await Self.organisationExists(db, user.organisation, self.logger, lock: true) else {
                throw StoreError.notFound(entity: "organisation", key: user.organisation)
            }
            try await Self.checkSubjectFree(db, user, self.logger)
            _ = try await db.rows(
                """
                UPDATE users SET organisation = \(user.organisation), certificate_subject = \(user.certificateSubject)
                WHERE name = \(user.name)
                """, self.logger)
            _ = try await db.rows("DELETE FROM user_roles WHERE user_name = \(user.name)", self.logger)
            try await Self.insertRoles(db, user, self.logger)
        }
    }

    /// Removes a user and their keys.
    public func deleteUser(named name: String) async throws(StoreError) {
        let deleted = try await rows("DELETE FROM users WHERE name = \(name) RETURNING name")
        if deleted.isEmpty { throw .notFound(entity: "user", key: name) }
    }

    /// Stores a key record.
    public func insertAPIKey(_ key: APIKey) async throws(StoreError) {
        try await transaction { db in
            guard try await Self.userExists(db, key.userName, self.logger, lock: true) else {
                throw StoreError.notFound(entity: "user", key: key.userName)
            }
            if try await !db.rows("SELECT 1 FROM api_keys WHERE id = \(key.id)", self.logger).isEmpty {
                throw StoreError.conflict(entity: "api key", key: key.id, reason: "already exists")
            }
            _ = try await db.rows(
                """
                INSERT INTO api_keys (id, user_name, prefix, hash, created_us, last_used_us, revoked_us)
                VALUES (\(key.id), \(key.userName), \(key.prefix), \(Data(key.hash)),
                        \(StoreTime.microseconds(key.created)), \(key.lastUsed.map(StoreTime.microseconds)),
                        \(key.revoked.map(StoreTime.microseconds)))
                """, self.logger)
        }
    }

    /// The key with `id`.
    public func apiKey(id: String) async throws(StoreError) -> APIKey {
        let found = try await rows("SELECT \(unescaped: Self.apiKeyColumns) FROM api_keys WHERE id = \(id)")
        guard let row = found.first else { throw .notFound(entity: "api key", key: id) }
        return try Self.decoding { try Self.apiKey(row) }
    }

    /// The user's keys, oldest first.
    public func apiKeys(userName: String) async throws(StoreError) -> [APIKey] {
        let found = try await transaction { db in
            guard try await Self.userExists(db, userName, self.logger) else {
                throw StoreError.notFound(entity: "user", key: userName)
            }
            return try await db.rows(
                """
                SELECT \(unescaped: Self.apiKeyColumns) FROM api_keys WHERE user_name = \(userName)
                ORDER BY created_us, id
                """, self.logger
            ).map(Self.apiKey)
        }
        return found
    }

    /// Sets the key's last-used time.
    public func recordAPIKeyUse(id: String, at time: Date) async throws(StoreError) {
        let changed = try await rows(
            "UPDATE api_keys SET last_used_us = \(StoreTime.microseconds(time)) WHERE id = \(id) RETURNING id")
        if changed.isEmpty { throw .notFound(entity: "api key", key: id) }
    }

    /// Revokes a key, keeping the first revocation time.
    public func revokeAPIKey(id: String, at time: Date) async throws(StoreError) {
        let changed = try await rows(
            """
            UPDATE api_keys SET revoked_us = COALESCE(revoked_us, \(StoreTime.microseconds(time))) WHERE id = \(id)
            RETURNING id
            """)
        if changed.isEmpty { throw .notFound(entity: "api key", key: id) }
    }
}

// MARK: - Rows

extension PostgresStore {
    static let apiKeyColumns = "id, user_name, prefix, hash, created_us, last_used_us, revoked_us"

    /// Runs `body`, mapping a decoding failure (a column of an unexpected type) to `schema`.
    static func decoding<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw .schema("a row does not have the expected columns: \(String(reflecting: error))")
        }
    }

    /// Whether the organisation exists; with `lock`, its row is locked (`FOR KEY SHARE`) until the transaction ends,
    /// so it cannot be deleted under a row about to refer to it.
    static func organisationExists(_ db: PostgresConnection, _ name: String, _ logger: Logger, lock: Bool = false)
        async throws -> Bool
    {
        try await !db.rows(
            "SELECT 1 FROM organisations WHERE name = \(name) \(unescaped: lock ? "FOR KEY SHARE" : "")", logger
        ).isEmpty
    }

    /// Whether the user exists; with `lock`, as `organisationExists`.
    static func userExists(_ db: PostgresConnection, _ name: String, _ logger: Logger, lock: Bool = false)
        async throws -> Bool
    {
        try await !db.rows("SELECT 1 FROM users WHERE name = \(name) \(unescaped: lock ? "FOR KEY SHARE" : "")", logger)
            .isEmpty
    }

    /// Throws `conflict` when another user holds `user`'s certificate subject.
    static func checkSubjectFree(_ db: PostgresConnection, _ user: User, _ logger: Logger) async throws {
        guard let subject = user.certificateSubject else { return }
        let holders = try await db.rows(
            "SELECT name FROM users WHERE certificate_subject = \(subject) AND name <> \(user.name)", logger)
        if let holder = holders.first {
            throw user.subjectConflict(holder: try holder.decode(String.self))
        }
    }

    static func insertRoles(_ db: PostgresConnection, _ user: User, _ logger: Logger) async throws {
        for role in user.roles.sorted() {
            _ = try await db.rows(
                "INSERT INTO user_roles (user_name, role) VALUES (\(user.name), \(role.rawValue))", logger)
        }
    }

    static func organisation(_ row: PostgresRow) throws -> Organisation {
        let (name, displayName, created) = try row.decode((String, String, Int64).self)
        return Organisation(name: name, displayName: displayName, created: StoreTime.date(created))
    }

    /// Users by name with their roles, narrowed by each condition given: the one named `name`, those of
    /// `organisation`, the one holding `certificateSubject` (canonical form).
    func users(organisation: String? = nil, name: String? = nil, certificateSubject: String? = nil)
        async throws(StoreError) -> [User]
    {
        let found = try await rows(
            """
            SELECT u.name, u.organisation, u.certificate_subject, u.created_us, r.role FROM users u
            LEFT JOIN user_roles r ON r.user_name = u.name
            WHERE (\(name)::text IS NULL OR u.name = \(name))
              AND (\(organisation)::text IS NULL OR u.organisation = \(organisation))
              AND (\(certificateSubject)::text IS NULL OR u.certificate_subject = \(certificateSubject))
            ORDER BY u.name, r.role
            """)
        var users: [User] = []
        for row in found {
            let (name, organisation, subject, created, roleText) = try Self.decoding {
                try row.decode((String, String, String?, Int64, String?).self)
            }
            if users.last?.name != name {
                users.append(
                    User(
                        name: name, organisation: organisation, roles: [], certificateSubject: subject,
                        created: StoreTime.date(created)))
            }
            if let roleText {
                guard let role = Role(rawValue: roleText) else {
                    throw .schema("user '\(name)' has the unknown role '\(roleText)'")
                }
                users[users.count - 1].roles.insert(role)
            }
        }
        return users
    }

    static func apiKey(_ row: PostgresRow) throws -> APIKey {
        let (id, userName, prefix, hash, created, lastUsed, revoked) = try row.decode(
            (String, String, String, Data, Int64, Int64?, Int64?).self)
        return APIKey(
            id: id, userName: userName, prefix: prefix, hash: Array(hash), created: StoreTime.date(created),
            lastUsed: lastUsed.map(StoreTime.date), revoked: revoked.map(StoreTime.date))
    }
}
