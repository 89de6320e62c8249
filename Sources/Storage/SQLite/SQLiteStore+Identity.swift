import Foundation
import GRDB
import GatewayCore
import Policy

extension SQLiteStore: IdentityStore {
    /// Adds an organisation.
    public func createOrganisation(_ organisation: Organisation) async throws(StoreError) {
        guard !organisation.name.isEmpty else { throw .invalid("an organisation needs a name") }
        try await write { db in
            if try Self.organisationExists(db, organisation.name) {
                throw StoreError.conflict(entity: "organisation", key: organisation.name, reason: "already exists")
            }
            try db.execute(
                sql: "INSERT INTO organisations (name, display_name, created_us) VALUES (?, ?, ?)",
                arguments: [organisation.name, organisation.displayName, StoreTime.microseconds(organisation.created)])
        }
    }

    /// The organisation named `name`.
    public func organisation(named name: String) async throws(StoreError) -> Organisation {
        try await read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM organisations WHERE name = ?", arguments: [name])
            else { throw StoreError.notFound(entity: "organisation", key: name) }
            return Self.organisation(row)
        }
    }

    /// Every organisation, by name.
    public func organisations() async throws(StoreError) -> [Organisation] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM organisations ORDER BY name").map(Self.organisation)
        }
    }

    /// Replaces the organisation's display name.
    public func updateOrganisation(_ organisation: Organisation) async throws(StoreError) {
        try await write { db in
            try db.execute(
                sql: "UPDATE organisations SET display_name = ? WHERE name = ?",
                arguments: [organisation.displayName, organisation.name])
            if db.changesCount == 0 { throw StoreError.notFound(entity: "organisation", key: organisation.name) }
        }
    }

    /// Removes an organisation that nothing refers to.
    public func deleteOrganisation(named name: String) async throws(StoreError) {
        try await write { db in
            guard try Self.organisationExists(db, name) else {
                throw StoreError.notFound(entity: "organisation", key: name)
            }
            let users = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM users WHERE organisation = ?", arguments: [name])
            let objects = try Int.fetchOne(db, sql: "SELECT count(*) FROM objects WHERE owner = ?", arguments: [name])
            if (users ?? 0) + (objects ?? 0) > 0 {
                throw StoreError.conflict(
                    entity: "organisation", key: name,
                    reason: "still has \(users ?? 0) user(s) and owns \(objects ?? 0) object(s)")
            }
            try db.execute(sql: "DELETE FROM organisations WHERE name = ?", arguments: [name])
        }
    }

    /// Adds a user with roles.
    public func createUser(_ user: User) async throws(StoreError) {
        let user = try User.validated(user)
        try await write { db in
            if try Self.userExists(db, user.name) {
                throw StoreError.conflict(entity: "user", key: user.name, reason: "already exists")
            }
            guard try Self.organisationExists(db, user.organisation) else {
                throw StoreError.notFound(entity: "organisation", key: user.organisation)
            }
            try Self.checkSubjectFree(db, user)
            try db.execute(
                sql: "INSERT INTO users (name, organisation, certificate_subject, created_us) VALUES (?, ?, ?, ?)",
                arguments: [
                    user.name, user.organisation, user.certificateSubject, StoreTime.microseconds(user.created),
                ])
            try Self.insertRoles(db, user)
        }
    }

    /// The user named `name`, with roles.
    public func user(named name: String) async throws(StoreError) -> User {
        try await read { db in
            guard let user = try Self.users(db, where: "u.name = ?", [name]).first else {
                throw StoreError.notFound(entity: "user", key: name)
            }
            return user
        }
    }

    /// The user whose certificate subject is `certificateSubject`, compared in canonical form.
    public func user(certificateSubject: String) async throws(StoreError) -> User {
        let subject = try User.canonicalSubject(forLookup: certificateSubject)
        return try await read { db in
            guard let user = try Self.users(db, where: "u.certificate_subject = ?", [subject]).first else {
                throw StoreError.notFound(entity: "certificate subject", key: certificateSubject)
            }
            return user
        }
    }

    /// Users by name, only those of `organisation` when given.
    public func users(organisation: String?) async throws(StoreError) -> [User] {
        try await read { db in
            try Self.users(db, where: "(? IS NULL OR u.organisation = ?)", [organisation, organisation])
        }
    }

    /// Replaces a user's organisation, roles and certificate subject.
    public func updateUser(_ user: User) async throws(StoreError) {
        let user = try User.validated(user)
        try await write { db in
            guard try Self.userExists(db, user.name) else { throw StoreError.notFound(entity: "user", key: user.name) }
            guard try Self.organisationExists(db, user.organisation) else {
                throw StoreError.notFound(entity: "organisation", key: user.organisation)
            }
            try Self.checkSubjectFree(db, user)
            try db.execute(
                sql: "UPDATE users SET organisation = ?, certificate_subject = ? WHERE name = ?",
                arguments: [user.organisation, user.certificateSubject, user.name])
            try db.execute(sql: "DELETE FROM user_roles WHERE user_name = ?", arguments: [user.name])
            try Self.insertRoles(db, user)
        }
    }

    /// Removes a user and their keys.
    public func deleteUser(named name: String) async throws(StoreError) {
        try await write { db in
            try db.execute(sql: "DELETE FROM users WHERE name = ?", arguments: [name])
            if db.changesCount == 0 { throw StoreError.notFound(entity: "user", key: name) }
        }
    }

    /// Stores a key record.
    public func insertAPIKey(_ key: APIKey) async throws(StoreError) {
        try await write { db in
            guard try Self.userExists(db, key.userName) else {
                throw StoreError.notFound(entity: "user", key: key.userName)
            }
            if try Row.fetchOne(db, sql: "SELECT 1 FROM api_keys WHERE id = ?", arguments: [key.id]) != nil {
                throw StoreError.conflict(entity: "api key", key: key.id, reason: "already exists")
            }
            try db.execute(
                sql: """
                    INSERT INTO api_keys (id, user_name, prefix, hash, created_us, last_used_us, revoked_us)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    key.id, key.userName, key.prefix, Data(key.hash), StoreTime.microseconds(key.created),
                    key.lastUsed.map(StoreTime.microseconds), key.revoked.map(StoreTime.microseconds),
                ])
        }
    }

    /// The key with `id`.
    public func apiKey(id: String) async throws(StoreError) -> APIKey {
        try await read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound(entity: "api key", key: id)
            }
            return Self.apiKey(row)
        }
    }

    /// The user's keys, oldest first.
    public func apiKeys(userName: String) async throws(StoreError) -> [APIKey] {
        try await read { db in
            guard try Self.userExists(db, userName) else { throw StoreError.notFound(entity: "user", key: userName) }
            return try Row.fetchAll(
                db, sql: "SELECT * FROM api_keys WHERE user_name = ? ORDER BY created_us, id", arguments: [userName]
            ).map(Self.apiKey)
        }
    }

    /// Sets the key's last-used time.
    public func recordAPIKeyUse(id: String, at time: Date) async throws(StoreError) {
        try await write { db in
            try db.execute(
                sql: "UPDATE api_keys SET last_used_us = ? WHERE id = ?",
                arguments: [StoreTime.microseconds(time), id])
            if db.changesCount == 0 { throw StoreError.notFound(entity: "api key", key: id) }
        }
    }

    /// Revokes a key, keeping the first revocation time.
    public func revokeAPIKey(id: String, at time: Date) async throws(StoreError) {
        try await write { db in
            try db.execute(
                sql: "UPDATE api_keys SET revoked_us = COALESCE(revoked_us, ?) WHERE id = ?",
                arguments: [StoreTime.microseconds(time), id])
            if db.changesCount == 0 { throw StoreError.notFound(entity: "api key", key: id) }
        }
    }
}

// MARK: - Rows

extension SQLiteStore {
    static func organisationExists(_ db: Database, _ name: String) throws -> Bool {
        try Row.fetchOne(db, sql: "SELECT 1 FROM organisations WHERE name = ?", arguments: [name]) != nil
    }

    static func userExists(_ db: Database, _ name: String) throws -> Bool {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM users WHERE name = ?"), arguments: [name]) != nil
    }

    /// Throws `conflict` when another user holds `user`'s certificate subject.
    static func checkSubjectFree(_ db: Database, _ user: User) throws {
        guard let subject = user.certificateSubject else { return }
        if let holder = try String.fetchOne(
            db, sql: "SELECT name FROM users WHERE certificate_subject = ? AND name <> ?",
            arguments: [subject, user.name])
        {
            throw user.subjectConflict(holder: holder)
        }
    }

    static func insertRoles(_ db: Database, _ user: User) throws {
        for role in user.roles.sorted() {
            try db.execute(
                sql: "INSERT INTO user_roles (user_name, role) VALUES (?, ?)", arguments: [user.name, role.rawValue])
        }
    }

    static func organisation(_ row: Row) -> Organisation {
        Organisation(name: row["name"], displayName: row["display_name"], created: StoreTime.date(row["created_us"]))
    }

    /// Users matching `condition` (on the `users` table), by name, with their roles.
    static func users(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [User] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT u.name, u.organisation, u.certificate_subject, u.created_us, r.role FROM users u
                LEFT JOIN user_roles r ON r.user_name = u.name
                WHERE \(condition) ORDER BY u.name, r.role
                """,
            arguments: arguments)
        var users: [User] = []
        for row in rows {
            let name: String = row["name"]
            if users.last?.name != name {
                users.append(
                    User(
                        name: name, organisation: row["organisation"], roles: [],
                        certificateSubject: row["certificate_subject"], created: StoreTime.date(row["created_us"])))
            }
            if let text: String = row["role"] {
                guard let role = Role(rawValue: text) else {
                    throw StoreError.schema("user '\(name)' has the unknown role '\(text)'")
                }
                users[users.count - 1].roles.insert(role)
            }
        }
        return users
    }

    static func apiKey(_ row: Row) -> APIKey {
        let hash: Data = row["hash"]
        return APIKey(
            id: row["id"], userName: row["user_name"], prefix: row["prefix"], hash: Array(hash),
            created: StoreTime.date(row["created_us"]),
            lastUsed: (row["last_used_us"] as Int64?).map(StoreTime.date),
            revoked: (row["revoked_us"] as Int64?).map(StoreTime.date))
    }
}
