//! Typed ids and their public form: a type prefix and the UUID in hex (`rel_0193…`).
//! The prefix lets `node(id:)` find the type and makes ids of different types unmixable.

use std::fmt;

use uuid::Uuid;

pub trait TypedId: Copy + Sized {
    /// Prefix of the public form, e.g. `rel`.
    const PREFIX: &'static str;
    /// Name of the type, e.g. `Release`, used in messages.
    const TYPE_NAME: &'static str;
    fn from_uuid(id: Uuid) -> Self;
    fn uuid(self) -> Uuid;

    /// Parses the public form; None when malformed or of another type.
    fn parse(text: &str) -> Option<Self> {
        let (prefix, id) = split(text)?;
        (prefix == Self::PREFIX).then(|| Self::from_uuid(id))
    }

    fn encode(self) -> String {
        format!("{}_{}", Self::PREFIX, self.uuid().simple())
    }
}

/// Splits a public id into its prefix and UUID.
pub fn split(text: &str) -> Option<(&str, Uuid)> {
    let (prefix, hex) = text.split_once('_')?;
    if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some((prefix, Uuid::parse_str(hex).ok()?))
}

/// A new, time-ordered id (UUIDv7 keeps B-tree inserts local).
pub fn new_uuid() -> Uuid {
    Uuid::now_v7()
}

macro_rules! typed_id {
    ($($name:ident = $prefix:literal, $type_name:literal;)+) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub Uuid);

        impl TypedId for $name {
            const PREFIX: &'static str = $prefix;
            const TYPE_NAME: &'static str = $type_name;
            fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }
            fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.encode())
            }
        }
    )+};
}

typed_id! {
    SystemId = "sys", "System";
    ReleaseId = "rel", "Release";
    PhaseId = "phs", "Phase";
    MilestoneId = "mst", "Milestone";
    ReleaseImpactId = "imp", "ReleaseImpact";
    ReleaseDependencyId = "rdp", "ReleaseDependency";
    PackageId = "pkg", "Package";
    EnvironmentGroupId = "eng", "EnvironmentGroup";
    EnvironmentId = "env", "Environment";
    DeploymentId = "dpl", "Deployment";
    UserId = "usr", "User";
    ApiTokenId = "tok", "ApiToken";
    AuditEventId = "aud", "AuditEvent";
    GateId = "gat", "Gate";
    CriterionId = "crt", "GateCriterion";
    CriterionResultId = "crr", "CriterionResult";
    GateApprovalId = "gap", "GateApproval";
    RaciAssignmentId = "rac", "RaciAssignment";
    ReleaseTemplateId = "tpl", "ReleaseTemplate";
    NotificationId = "ntf", "Notification";
    WebhookId = "whk", "Webhook";
    WebhookDeliveryId = "whd", "WebhookDelivery";
    DeploymentPlanId = "pln", "DeploymentPlan";
    ActivitySetId = "ast", "ActivitySet";
    ActivityId = "act", "Activity";
    PlanRunId = "run", "PlanRun";
    RunActivityId = "rna", "RunActivity";
    RunIssueId = "iss", "RunIssue";
    BookingId = "bkg", "Booking";
    BlackoutId = "blk", "Blackout";
}

/// The public form of an id given its type name (as stored in the audit trail).
pub fn encode_named(type_name: &str, id: Uuid) -> String {
    macro_rules! by_name {
        ($($t:ident),+) => {
            match type_name {
                $(<$t as TypedId>::TYPE_NAME => $t(id).encode(),)+
                _ => id.to_string(),
            }
        };
    }
    by_name!(
        SystemId,
        ReleaseId,
        PhaseId,
        MilestoneId,
        ReleaseImpactId,
        ReleaseDependencyId,
        PackageId,
        EnvironmentGroupId,
        EnvironmentId,
        DeploymentId,
        UserId,
        ApiTokenId,
        AuditEventId,
        GateId,
        CriterionId,
        CriterionResultId,
        GateApprovalId,
        RaciAssignmentId,
        ReleaseTemplateId,
        NotificationId,
        WebhookId,
        WebhookDeliveryId,
        DeploymentPlanId,
        ActivitySetId,
        ActivityId,
        PlanRunId,
        RunActivityId,
        RunIssueId,
        BookingId,
        BlackoutId
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_form_round_trips_and_rejects_other_types() {
        let id = ReleaseId(new_uuid());
        let text = id.encode();
        assert!(text.starts_with("rel_"));
        assert_eq!(ReleaseId::parse(&text), Some(id));
        assert_eq!(SystemId::parse(&text), None);
        assert_eq!(ReleaseId::parse("rel_nothex"), None);
        assert_eq!(ReleaseId::parse("garbage"), None);
        assert_eq!(split(&text).map(|(p, _)| p), Some("rel"));
    }
}
