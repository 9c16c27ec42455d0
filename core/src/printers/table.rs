//! Go `text/tabwriter` as kubectl configures it: `NewWriter(out, 6, 4, 3, ' ', 0)`.
//! Cell width = max(minwidth 6, text width + padding 3); the last cell of a row is not padded.
//! A watch flushes once per event through liggitt/tabwriter's `RememberWidths`: each column
//! is as wide as the widest it has been since the watch began ([`render_remembering`]).

/// Render rows (the first is usually the header) as kubectl does.
pub fn render(rows: &[Vec<String>]) -> String {
    render_remembering(rows, &mut Vec::new())
}

/// One flush of a tabwriter with `RememberWidths`: each column at least as wide as it was in
/// earlier flushes (`remembered`), which this flush widens where its own cells are wider.
pub fn render_remembering(rows: &[Vec<String>], remembered: &mut Vec<usize>) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; cols];
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if i + 1 < r.len() {
                widths[i] = widths[i].max(c.chars().count() + 3).max(6);
            }
        }
    }
    for (i, w) in widths.iter_mut().enumerate() {
        if *w == 0 {
            continue;
        }
        match remembered.get_mut(i) {
            Some(r) if *r > *w => *w = *r,
            Some(r) => *r = *w,
            None => {
                remembered.resize(i, 0);
                remembered.push(*w);
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
    fn remembered_widths_carry_across_flushes() {
        let mut widths = Vec::new();
        let row = |a: &str, b: &str, c: &str| vec![a.to_string(), b.to_string(), c.to_string()];
        let first = render_remembering(&[row("NAME", "STATUS", "AGE"), row("web", "Pending", "0s")], &mut widths);
        assert_eq!(first, "NAME   STATUS    AGE\nweb    Pending   0s\n");
        // A narrower row keeps the columns; a wider cell widens its column from then on.
        assert_eq!(
            render_remembering(&[row("web", "Running", "2s")], &mut widths),
            "web    Running   2s\n"
        );
        assert_eq!(
            render_remembering(&[row("web", "ContainerCreating", "1s")], &mut widths),
            "web    ContainerCreating   1s\n"
        );
        assert_eq!(
            render_remembering(&[row("web", "Running", "3s")], &mut widths),
            "web    Running             3s\n"
        );
    }

    #[test]
    fn minimum_width_is_six() {
        let rows = vec![vec!["A".to_string(), "B".into()]];
        assert_eq!(render(&rows), "A     B\n");
    }
}
