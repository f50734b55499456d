//! Indexes for filtering the audit trail by entity type and by action (newest first).

use sea_orm_migration::prelude::*;

use crate::util::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        index(
            manager,
            "audit_event",
            &["entity_type", "occurred_at"],
            false,
        )
        .await?;
        index(manager, "audit_event", &["action", "occurred_at"], false).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            "idx_audit_event_entity_type_occurred_at",
            "idx_audit_event_action_occurred_at",
        ] {
            manager
                .drop_index(
                    Index::drop()
                        .name(name)
                        .table(Alias::new("audit_event"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
