//! Regular expressions for what Rust parses from strings: integers as map keys, IP and socket
//! addresses, and the scheme of a URL.

use crate::ty::IpKind;

/// `url::Url` parses absolute URLs only: a scheme, then a colon.
pub(super) const URL_SCHEME: &str = "^[A-Za-z][A-Za-z0-9+.-]*:";

/// The decimal numbers from `min` (0 or 1) to `max`, without leading zeros.
pub(super) fn decimal_range(min: u8, max: u128) -> String {
    let digits: Vec<u32> = max
        .to_string()
        .chars()
        .filter_map(|c| c.to_digit(10))
        .collect();
    let mut alternatives = Vec::new();
    // Every number with fewer digits than `max`.
    for len in 1..digits.len() {
        alternatives.push(if len == 1 {
            format!("[{min}-9]")
        } else {
            format!("[1-9]{}", any_digits(len - 1))
        });
    }
    // As many digits: equal to `max` up to one digit, which is below `max`'s.
    for (i, &digit) in digits.iter().enumerate() {
        let low = match (i, digits.len()) {
            (0, 1) => u32::from(min),
            (0, _) => 1,
            _ => 0,
        };
        if digit > low {
            let prefix: String = digits.iter().take(i).map(ToString::to_string).collect();
            let below = if digit - 1 == low {
                low.to_string()
            } else {
                format!("[{low}-{}]", digit - 1)
            };
            alternatives.push(format!(
                "{prefix}{below}{}",
                any_digits(digits.len() - i - 1)
            ));
        }
    }
    alternatives.push(max.to_string());
    format!("({})", alternatives.join("|"))
}

/// `count` decimal digits.
pub(super) fn any_digits(count: usize) -> String {
    match count {
        0 => String::new(),
        1 => "[0-9]".to_owned(),
        _ => format!("[0-9]{{{count}}}"),
    }
}

/// An integer map key, as serde_json parses it: a JSON integer in range. `-0` parses as a
/// float, except for the 128-bit types, which serde_json reads digit by digit.
pub(super) fn int_key_pattern(signed: bool, bits: u8) -> String {
    let bits = u32::from(bits.clamp(8, 128));
    let max = if signed {
        (1u128 << (bits - 1)) - 1
    } else {
        u128::MAX >> (128 - bits)
    };
    let positive = decimal_range(0, max);
    if !signed {
        return format!("^{positive}$");
    }
    let negative = decimal_range(u8::from(bits < 128), max + 1);
    format!("^({positive}|-{negative})$")
}

pub(super) fn ipv4() -> String {
    let octet = decimal_range(0, 255);
    format!("{octet}(\\.{octet}){{3}}")
}

/// Rust's `Ipv6Addr` syntax: eight groups, one `::` run, and an optional dotted IPv4 tail.
pub(super) fn ipv6() -> String {
    let h = "[0-9A-Fa-f]{1,4}";
    let v4 = ipv4();
    let forms = [
        format!("({h}:){{7}}{h}"),
        format!("({h}:){{6}}{v4}"),
        format!("({h}:){{1,7}}:"),
        format!("({h}:){{1,6}}:{h}"),
        format!("({h}:){{1,5}}(:{h}){{1,2}}"),
        format!("({h}:){{1,4}}(:{h}){{1,3}}"),
        format!("({h}:){{1,3}}(:{h}){{1,4}}"),
        format!("({h}:){{1,2}}(:{h}){{1,5}}"),
        format!("{h}:(:{h}){{1,6}}"),
        format!(":((:{h}){{1,7}}|:)"),
        format!("({h}:){{1,5}}:{v4}"),
        format!("({h}:){{1,4}}:({h}:){{0,1}}{v4}"),
        format!("({h}:){{1,3}}:({h}:){{0,2}}{v4}"),
        format!("({h}:){{1,2}}:({h}:){{0,3}}{v4}"),
        format!("{h}::({h}:){{0,4}}{v4}"),
        format!("::({h}:){{0,5}}{v4}"),
    ];
    format!("({})", forms.join("|"))
}

pub(super) fn ip_pattern(kind: IpKind) -> String {
    match kind {
        IpKind::V4 => ipv4(),
        IpKind::V6 => ipv6(),
        IpKind::Any => format!("({}|{})", ipv4(), ipv6()),
    }
}

/// Rust's socket address syntax. The port and the IPv6 scope id are decimal numbers in range,
/// and may have leading zeros.
pub(super) fn socket_pattern(kind: IpKind) -> String {
    let port = format!("0*{}", decimal_range(0, u16::MAX.into()));
    let scope = format!("0*{}", decimal_range(0, u32::MAX.into()));
    let v4 = format!("{}:{port}", ipv4());
    let v6 = format!("\\[{}(%{scope})?\\]:{port}", ipv6());
    match kind {
        IpKind::V4 => v4,
        IpKind::V6 => v6,
        IpKind::Any => format!("({v4}|{v6})"),
    }
}

#[cfg(test)]
mod tests {
    use super::{decimal_range, int_key_pattern};

    #[test]
    fn decimal_ranges_list_every_number_once() {
        assert_eq!(decimal_range(0, 0), "(0)");
        assert_eq!(decimal_range(1, 7), "([1-6]|7)");
        assert_eq!(
            decimal_range(0, 255),
            "([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-4]|255)"
        );
        assert_eq!(
            int_key_pattern(true, 8),
            format!("^({}|-{})$", decimal_range(0, 127), decimal_range(1, 128))
        );
    }
}
