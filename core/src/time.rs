//! Simulated time. The core never reads a clock: the caller advances it (`sleep` in a script,
//! wall time in the page), and every AGE, delay and timeout is computed from it. Every printed
//! wall-clock time goes through the cluster's [`Epoch`] (a [`SimTime`] has no date of its own).
//! The one home of date arithmetic: an instant as a UTC calendar date ([`Civil`]), RFC 3339
//! parsing, and the formats the tools print ([`Epoch::rfc3339`], [`Epoch::rfc1123z`],
//! [`Epoch::http_date`], [`Epoch::ctime`], [`Epoch::date_utc`]).

use std::fmt;

/// Milliseconds since the simulated cluster was created.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u64);

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);

    pub fn from_secs(s: u64) -> SimTime {
        SimTime(s.saturating_mul(1000))
    }

    pub fn plus_ms(self, ms: u64) -> SimTime {
        SimTime(self.0.saturating_add(ms))
    }

    pub fn plus_secs(self, s: u64) -> SimTime {
        self.plus_ms(s.saturating_mul(1000))
    }

    /// Whole seconds elapsed from `earlier` to `self` (0 if `earlier` is later).
    pub fn secs_since(self, earlier: SimTime) -> u64 {
        self.0.saturating_sub(earlier.0) / 1000
    }
}

/// The wall-clock instant of [`SimTime::ZERO`], in Unix seconds: 2026-11-07T09:00:00Z for a
/// fresh cluster, the oldest timestamp of a snapshot for an imported one (so its objects'
/// `creationTimestamp`s print as the real cluster wrote them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Epoch(pub i64);

impl Default for Epoch {
    fn default() -> Self {
        Epoch::DEFAULT
    }
}

impl Epoch {
    /// 2026-11-07T09:00:00Z.
    pub const DEFAULT: Epoch = Epoch(20_764 * 86_400 + 9 * 3600);

    /// Unix seconds of `t`.
    pub fn unix(self, t: SimTime) -> i64 {
        self.0.saturating_add((t.0 / 1000) as i64)
    }

    /// Nanoseconds since 1970-01-01T00:00:00Z of `t` (Go's `UnixNano`).
    pub fn unix_nanos(self, t: SimTime) -> u64 {
        u64::try_from(self.0)
            .unwrap_or(0)
            .saturating_mul(1000)
            .saturating_add(t.0)
            .saturating_mul(1_000_000)
    }

    /// `t` as a UTC calendar date and time.
    pub fn civil(self, t: SimTime) -> Civil {
        let secs = self.unix(t);
        let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: (rem / 3600) as u32,
            minute: (rem % 3600 / 60) as u32,
            second: (rem % 60) as u32,
            millis: (t.0 % 1000) as u32,
            // 1970-01-01 was a Thursday.
            weekday: (days + 4).rem_euclid(7) as u32,
        }
    }

    /// `t` as RFC 3339 (`2026-11-07T09:00:00Z`), as apimachinery's `metav1.Time` marshals.
    pub fn rfc3339(self, t: SimTime) -> String {
        let c = self.civil(t);
        format!("{}T{}Z", c.date(), c.clock())
    }

    /// Go's `time.RFC1123Z` (kubectl describe): `Sat, 07 Nov 2026 09:00:00 +0000`.
    pub fn rfc1123z(self, t: SimTime) -> String {
        let c = self.civil(t);
        format!(
            "{}, {:02} {} {} {} +0000",
            c.weekday_name(),
            c.day,
            c.month_name(),
            c.year,
            c.clock()
        )
    }

    /// RFC 7231's IMF-fixdate (an HTTP `Date` header): `Sat, 07 Nov 2026 09:00:00 GMT`.
    pub fn http_date(self, t: SimTime) -> String {
        let c = self.civil(t);
        format!("{}, {:02} {} {} {} GMT", c.weekday_name(), c.day, c.month_name(), c.year, c.clock())
    }

    /// C's `ctime` without its newline (iptables-save's header): `Sat Nov  7 09:00:00 2026`.
    pub fn ctime(self, t: SimTime) -> String {
        let c = self.civil(t);
        format!("{} {} {:2} {} {}", c.weekday_name(), c.month_name(), c.day, c.clock(), c.year)
    }

    /// `date`'s default format in UTC (`%a %b %d %H:%M:%S %Z %Y`, as dig's `WHEN:` prints
    /// it): `Sat Nov 07 09:00:00 UTC 2026`.
    pub fn date_utc(self, t: SimTime) -> String {
        let c = self.civil(t);
        format!("{} {} {:02} {} UTC {}", c.weekday_name(), c.month_name(), c.day, c.clock(), c.year)
    }

    /// Days since 1970-01-01 of `t` (for weekdays: day 0 was a Thursday).
    pub fn unix_days(self, t: SimTime) -> i64 {
        self.unix(t).div_euclid(86_400)
    }

    /// The simulated instant of Unix time `unix` (`None` before the epoch).
    pub fn at(self, unix: i64) -> Option<SimTime> {
        let secs = u64::try_from(unix.checked_sub(self.0)?).ok()?;
        Some(SimTime::from_secs(secs))
    }
}

/// A UTC calendar date and time of day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    /// 1–12.
    pub month: u32,
    /// 1–31.
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub millis: u32,
    /// 0 = Sunday.
    pub weekday: u32,
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

impl Civil {
    /// `2026-11-07`.
    pub fn date(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `09:00:00`.
    pub fn clock(&self) -> String {
        format!("{:02}:{:02}:{:02}", self.hour, self.minute, self.second)
    }

    pub fn weekday_name(&self) -> &'static str {
        WEEKDAYS.get(self.weekday as usize).copied().unwrap_or("Sun")
    }

    pub fn month_name(&self) -> &'static str {
        MONTHS.get(self.month.saturating_sub(1) as usize).copied().unwrap_or("Jan")
    }
}

/// Unix seconds of an RFC 3339 timestamp as the API server writes them (`2024-05-13T09:21:03Z`;
/// a fraction and a `±hh:mm` offset are accepted as Go's `time.RFC3339` parses them). `None`
/// for anything else.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |a: usize, z: usize| -> Option<i64> {
        let t = s.get(a..z)?;
        if !t.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    let (y, mo, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (h, mi, sec) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut rest = s.get(19..)?;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = frac.get(digits..)?;
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return None,
            };
            let o = rest.get(1..)?;
            if o.len() != 5 || o.as_bytes()[2] != b':' {
                return None;
            }
            let oh: i64 = o.get(0..2)?.parse().ok()?;
            let om: i64 = o.get(3..5)?.parse().ok()?;
            sign * (oh * 3600 + om * 60)
        }
    };
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec - offset)
}

/// Howard Hinnant's civil-to-days algorithm (days since 1970-01-01).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:03}s", self.0 / 1000, self.0 % 1000)
    }
}

/// apimachinery's `duration.HumanDuration`, the AGE column of every kubectl table.
pub fn human_duration(seconds: i64) -> String {
    if seconds < -1 {
        return "<invalid>".into();
    }
    if seconds < 0 {
        return "0s".into();
    }
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 { format!("{minutes}m") } else { format!("{minutes}m{s}s") };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = seconds / 3600;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 { format!("{hours}h") } else { format!("{hours}h{m}m") };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{h}h", hours / 24)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        return if dy == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{dy}d", hours / 24 / 365)
        };
    }
    format!("{}y", hours / 24 / 365)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_and_formats() {
        let e = Epoch::DEFAULT;
        let t = |s: u64| SimTime::from_secs(s);
        // 2027-01-01 and a leap day (2028-02-29) cross the year and February.
        assert_eq!(e.rfc3339(t(54 * 86_400 + 15 * 3600)), "2027-01-01T00:00:00Z");
        assert_eq!(e.rfc3339(t(479 * 86_400)), "2028-02-29T09:00:00Z");
        assert_eq!(e.unix(SimTime::ZERO), 1_794_042_000);
        assert_eq!(e.unix_nanos(SimTime(1500)), 1_794_042_001_500_000_000);
        assert_eq!(e.civil(SimTime::ZERO).weekday_name(), "Sat");
        assert_eq!(e.rfc1123z(SimTime::ZERO), "Sat, 07 Nov 2026 09:00:00 +0000");
        assert_eq!(e.rfc1123z(t(86_400 * 18)), "Wed, 25 Nov 2026 09:00:00 +0000");
        assert_eq!(e.http_date(SimTime::ZERO), "Sat, 07 Nov 2026 09:00:00 GMT");
        assert_eq!(e.ctime(SimTime::ZERO), "Sat Nov  7 09:00:00 2026");
        assert_eq!(e.ctime(t(86_400 * 18 + 9 * 3600 + 46 * 60 + 28)), "Wed Nov 25 18:46:28 2026");
        assert_eq!(e.date_utc(SimTime::ZERO), "Sat Nov 07 09:00:00 UTC 2026");
        assert_eq!(e.date_utc(t(86_400 * 25)), "Wed Dec 02 09:00:00 UTC 2026");
        // Another epoch (an imported cluster's): the same formats on its wall clock.
        let e = Epoch(parse_rfc3339("2024-05-13T09:21:03Z").unwrap_or(0));
        assert_eq!(e.rfc1123z(SimTime::ZERO), "Mon, 13 May 2024 09:21:03 +0000");
    }

    #[test]
    fn human_duration_boundaries() {
        // Cases from apimachinery's duration_test.go.
        let cases = [
            (1, "1s"),
            (70, "70s"),
            (190, "3m10s"),
            (70 * 60, "70m"),
            (47 * 3600, "47h"),
            (49 * 3600, "2d1h"),
            ((8 * 24 + 2) * 3600, "8d"),
            (367 * 24 * 3600, "367d"),
            ((365 * 2 * 24 + 25) * 3600, "2y1d"),
            ((365 * 8 * 24 + 2) * 3600, "8y"),
            (119, "119s"),
            (120, "2m"),
            (10 * 60, "10m"),
            (3 * 3600, "3h"),
            (3 * 3600 + 60, "3h1m"),
            (8 * 3600 + 60, "8h"),
            (257, "4m17s"),
        ];
        for (secs, want) in cases {
            assert_eq!(human_duration(secs), want, "{secs}s");
        }
        assert_eq!(human_duration(-2), "<invalid>");
        assert_eq!(human_duration(-1), "0s");
    }

    #[test]
    fn rfc3339_epoch() {
        assert_eq!(Epoch::DEFAULT.rfc3339(SimTime::ZERO), "2026-11-07T09:00:00Z");
        assert_eq!(Epoch::DEFAULT.rfc3339(SimTime::from_secs(86_400 * 30)), "2026-12-07T09:00:00Z");
    }

    #[test]
    fn rfc3339_round_trips_through_an_epoch() {
        assert_eq!(parse_rfc3339("2026-11-07T09:00:00Z"), Some(Epoch::DEFAULT.0));
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2024-02-29T23:59:59.123456Z"), Some(1_709_251_199));
        assert_eq!(parse_rfc3339("2024-03-01T01:00:00+02:00"), Some(1_709_247_600));
        for bad in [
            "",
            "2024-13-01T00:00:00Z",
            "2024-01-01 00:00:00Z",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00.Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
        let e = Epoch(parse_rfc3339("2024-05-13T09:21:03Z").unwrap_or(0));
        let t = e.at(parse_rfc3339("2024-05-14T10:00:00Z").unwrap_or(0)).unwrap_or_default();
        assert_eq!(e.rfc3339(t), "2024-05-14T10:00:00Z");
        assert_eq!(e.at(e.0 - 1), None);
    }
}
