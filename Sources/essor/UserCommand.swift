import ArgumentParser
import Foundation
import GatewayCore
import Policy

/// `essor user add|list|remove`: the gateway's users (DESIGN §4).
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add, list and remove users.",
        subcommands: [UserAdd.self, UserList.self, UserRemove.self])
}

/// `essor user add NAME --org ORG --role ROLE [--role ROLE2]`.
struct UserAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a user (creating the organisation when it does not exist).")

    @OptionGroup var database: DatabaseOption

    @Argument(help: "The user name.")
    var name: String

    @Option(help: "The user's organisation (created when missing).")
    var org: String

    @Option(help: "A role (repeatable): operator, partner, requester, admin, backend.")
    var role: [String] = []

    func run() async throws {
        let roles = try Role.parse(role)
        guard !roles.isEmpty else { throw ValidationFailure("give at least one --role") }
        try await database.withStore { opened in
            let store = opened.store
            if try await !store.hasOrganisation(named: org) {
                try await store.createOrganisation(Organisation(name: org))
                print("created organisation \(org)")
            }
            try await store.createUser(User(name: name, organisation: org, roles: roles))
            print(
                "added user \(name) (organisation \(org), roles \(roles.sorted().map(\.rawValue).joined(separator: ", ")))"
            )
        }
    }
}

/// `essor user list`.
struct UserList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the users: name, organisation, roles.")

    @OptionGroup var database: DatabaseOption

    func run() async throws {
        try await database.withStore { opened in
            for user in try await opened.store.users(organisation: nil) {
                print(
                    "\(user.name)\t\(user.organisation)\t\(user.roles.sorted().map(\.rawValue).joined(separator: ","))")
            }
        }
    }
}

/// `essor user remove NAME`.
struct UserRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a user and all their API keys.")

    @OptionGroup var database: DatabaseOption

    @Argument(help: "The user name.")
    var name: String

    func run() async throws {
        try await database.withStore { opened in
            try await opened.store.deleteUser(named: name)
            print("removed user \(name)")
        }
    }
}

extension Role {
    /// The roles named on the command line; an unknown name is an error listing the valid ones.
    static func parse(_ names: [String]) throws -> Set<Role> {
        var roles: Set<Role> = []
        for name in names {
            guard let value = Role(rawValue: name) else {
                throw ValidationFailure(
                    "unknown role '\(name)'; one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            roles.insert(value)
        }
        return roles
    }
}
