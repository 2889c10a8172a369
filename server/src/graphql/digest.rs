//! The coordinator's weekly coverage digest: the day it comes, or off.
use async_graphql::{Context, Enum, Object, Result, ResultExt};
use chrono::Weekday;

use crate::domain::digest::DigestDay;
use crate::graphql::context::ContextExt;
use crate::graphql::objects::Viewer;
use crate::service::{auth, digest as service};

/// When a coordinator's weekly coverage digest comes: on this weekday from
/// 07:00 in their mission's time zone, or never.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum CoverageDigestDay {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
    /// No digest.
    Off,
}

impl From<CoverageDigestDay> for DigestDay {
    fn from(d: CoverageDigestDay) -> Self {
        use CoverageDigestDay as D;
        match d {
            D::Monday => DigestDay::On(Weekday::Mon),
            D::Tuesday => DigestDay::On(Weekday::Tue),
            D::Wednesday => DigestDay::On(Weekday::Wed),
            D::Thursday => DigestDay::On(Weekday::Thu),
            D::Friday => DigestDay::On(Weekday::Fri),
            D::Saturday => DigestDay::On(Weekday::Sat),
            D::Sunday => DigestDay::On(Weekday::Sun),
            D::Off => DigestDay::Off,
        }
    }
}

impl From<DigestDay> for CoverageDigestDay {
    fn from(d: DigestDay) -> Self {
        use CoverageDigestDay as D;
        match d {
            DigestDay::On(Weekday::Mon) => D::Monday,
            DigestDay::On(Weekday::Tue) => D::Tuesday,
            DigestDay::On(Weekday::Wed) => D::Wednesday,
            DigestDay::On(Weekday::Thu) => D::Thursday,
            DigestDay::On(Weekday::Fri) => D::Friday,
            DigestDay::On(Weekday::Sat) => D::Saturday,
            DigestDay::On(Weekday::Sun) => D::Sunday,
            DigestDay::Off => D::Off,
        }
    }
}

#[derive(Default)]
pub struct DigestMutation;

#[Object]
impl DigestMutation {
    /// Coordinators: the weekday of the weekly email listing the upcoming
    /// hearings they see that lack observers (counts and links only), or
    /// `OFF`. Others are `FORBIDDEN`.
    async fn set_coverage_digest(
        &self,
        ctx: &Context<'_>,
        day: CoverageDigestDay,
    ) -> Result<Viewer> {
        let (state, viewer) = ctx.parts().extend()?;
        service::set_day(state, viewer, day.into()).await.extend()?;
        let user = auth::current_user(state, viewer).await.extend()?;
        Ok(Viewer {
            user,
            who: viewer.clone(),
        })
    }
}
