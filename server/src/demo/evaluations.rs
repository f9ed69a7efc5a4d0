//! The demo's democratic evaluations, answered through the same store the public page uses: one
//! on the demo village with enough responses for results to show, and one with too few for
//! anything to show yet.

use xuncha_api::evaluations::{rating_key, Ballot, Dimension, NewEvaluation, Rating, Subject};

use super::cases::{actor, fail};
use crate::db::Tx;
use crate::evaluations::store;

fn ballot(i: usize) -> Ballot {
    // A village that mostly thinks well of its leadership, with a few doubts about integrity.
    let pick = |s: Subject, d: Dimension| match (i % 7, s, d) {
        (0, _, Dimension::Integrity) => Rating::Average,
        (1, Subject::Secretary, _) => Rating::Fair,
        (2, _, Dimension::People) => Rating::Poor,
        (3 | 4, _, _) => Rating::Fair,
        _ => Rating::Good,
    };
    let mut ratings = Vec::new();
    for s in Subject::ALL {
        for d in Dimension::ALL {
            ratings.push((rating_key(*s, *d), pick(*s, *d)));
        }
    }
    Ballot {
        ratings,
        know: Some(!i.is_multiple_of(9)),
        took_part: Some(!i.is_multiple_of(3)),
        satisfied: Some(!i.is_multiple_of(6)),
        comment: match i {
            2 => "希望村务公开栏按月更新。".into(),
            5 => "低保评议要公开透明。".into(),
            _ => String::new(),
        },
    }
}

pub async fn seed(tx: &mut Tx<'_>, target: &str) -> anyhow::Result<()> {
    let office = actor(tx, "admin").await?;
    for (title, codes, answered) in [
        ("2026年村“两委”班子民主测评", 30, 18),
        ("巡察整改情况满意度测评", 20, 3),
    ] {
        let made = store::create(
            tx,
            &office,
            target,
            &NewEvaluation {
                title: title.into(),
                codes,
                threshold: xuncha_api::evaluations::THRESHOLD_DEFAULT,
            },
            |_| Ok(String::new()),
        )
        .await
        .map_err(fail)?;
        for (i, slip) in made.slips.iter().take(answered).enumerate() {
            store::respond(tx, &slip.code, &ballot(i))
                .await
                .map_err(fail)?;
        }
    }
    Ok(())
}
