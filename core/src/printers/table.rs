//! Go `text/tabwriter` as kubectl configures it: `NewWriter(out, 6, 4, 3, ' ', 0)`.
//! Cell width = max(minwidth 6, text width + padding 3); the last cell of a row is not padded.

/// Render rows (the first is usually the header) as kubectl does.
pub fn render(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; cols];
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if i + 1 < r.len() {
                widths[i] = widths[i].max(c.chars().count() + 3).max(6);
            }
        }
    }
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (i, c) in r.iter().enumerate() {
            line.push_str(c);
            if i + 1 < r.len() {
                let pad = widths[i].saturating_sub(c.chars().count());
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_kubectl_layout() {
        let rows = vec![
            vec!["NAME".to_string(), "ENDPOINTS".into(), "AGE".into()],
            vec!["kubernetes".to_string(), "192.168.49.2:8443".into(), "18d".into()],
        ];
        assert_eq!(
            render(&rows),
            "NAME         ENDPOINTS           AGE\nkubernetes   192.168.49.2:8443   18d\n"
        );
    }

    #[test]
    fn minimum_width_is_six() {
        let rows = vec![vec!["A".to_string(), "B".into()]];
        assert_eq!(render(&rows), "A     B\n");
    }
}
