/// Alpha-5 catalogue numbers: the five columns of a TLE's satellite number carry numbers up to 339999 by
/// replacing the first digit with a letter, A = 10 … Z = 33, skipping I and O (they read as 1 and 0).
///
/// Source: Space-Track.org, "Documentation — Alpha-5" (https://www.space-track.org/documentation#tle-alpha5);
/// python-sgp4's `sgp4/alpha5.py` implements the same rule. Example: `A0001` = 100001, `J2931` = 182931,
/// `Z9999` = 339999.
public enum Alpha5 {
    /// The largest number five TLE columns can carry (`Z9999`).
    public static let maximum = 339_999

    /// The letters in order of value, from A = 10 to Z = 33 (24 letters: no I, no O).
    static let letters: [UInt8] = Array("ABCDEFGHJKLMNPQRSTUVWXYZ".utf8)

    /// Value of each upper-case letter A…Z (index 0 = A), or -1 for I and O.
    static let letterValues: [Int8] = {
        var values = [Int8](repeating: -1, count: 26)
        for (index, letter) in letters.enumerated() { values[Int(letter) - 65] = Int8(10 + index) }
        return values
    }()

    /// The five-character text of `number` (zero-padded digits below 100000, Alpha-5 above), or nil when
    /// `number` is negative or above 339999.
    public static func encode(_ number: Int) -> String? {
        var bytes: [UInt8] = []
        guard append(number, to: &bytes) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The number written as five characters (digits, or a letter and four digits), or nil.
    /// Leading blanks before plain digits are accepted ("   25" = 25).
    public static func decode(_ text: String) -> Int? {
        var text = text
        return text.withUTF8 { decode($0) }
    }

    /// Appends the five bytes of `number`; false (and nothing appended) when it is out of range.
    static func append(_ number: Int, to bytes: inout [UInt8]) -> Bool {
        guard number >= 0, number <= maximum else { return false }
        let lead = number / 10_000
        if lead < 10 {
            bytes.append(UInt8(48 + lead))
        } else {
            bytes.append(letters[lead - 10])
        }
        var rest = number % 10_000
        var divisor = 1_000
        while divisor > 0 {
            bytes.append(UInt8(48 + rest / divisor))
            rest %= divisor
            divisor /= 10
        }
        return true
    }

    /// Decodes exactly five bytes (a catalogue field), or returns nil.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count == 5 else { return nil }
        let first = bytes[0]
        var value = 0
        var index = 0
        if first >= 65, first <= 90 {
            let letter = letterValues[Int(first) - 65]
            guard letter >= 0 else { return nil }
            value = Int(letter)
            index = 1
            for position in 1..<5 {
                let digit = bytes[position] &- 48
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        while index < 4, bytes[index] == 32 { index += 1 }
        for position in index..<5 {
            let digit = bytes[position] &- 48
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }
}
