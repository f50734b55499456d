//! The audit trail: one immutable row per change, written in the change's transaction.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{drop_tables, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditEvent {
    Table,
    Id,
    OccurredAt,
    ActorId,
    ActorName,
    RequestId,
    Action,
    EntityType,
    EntityId,
    ReleaseId,
    Before,
    After,
    Sequence,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum AuditChainHead {
    Table,
    Id,
    Sequence,
    Hash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // No foreign keys: the trail outlives what it describes.
        manager
            .create_table(
                Table::create()
                    .table(AuditEvent::Table)
                    .col(pk_uuid(AuditEvent::Id))
                    .col(timestamp_with_time_zone(AuditEvent::OccurredAt))
                    .col(uuid_null(AuditEvent::ActorId))
                    .col(string_len(AuditEvent::ActorName, 200))
                    .col(string_len_null(AuditEvent::RequestId, 64))
                    .col(string_len(AuditEvent::Action, 64))
                    .col(string_len(AuditEvent::EntityType, 64))
                    .col(uuid(AuditEvent::EntityId))
                    .col(uuid_null(AuditEvent::ReleaseId))
                    .col(json_null(AuditEvent::Before))
                    .col(json_null(AuditEvent::After))
                    .col(big_integer_uniq(AuditEvent::Sequence))
                    .col(string_len(AuditEvent::PrevHash, 64))
                    .col(string_len(AuditEvent::Hash, 64))
                    .to_owned(),
            )
            .await?;
        // The head of the hash chain: one row, locked by every audit insert so concurrent
        // transactions append one after the other instead of forking the chain.
        manager
            .create_table(
                Table::create()
                    .table(AuditChainHead::Table)
                    .col(integer(AuditChainHead::Id).primary_key())
                    .col(big_integer(AuditChainHead::Sequence))
                    .col(string_len(AuditChainHead::Hash, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(AuditChainHead::Table)
                    .columns([
                        AuditChainHead::Id,
                        AuditChainHead::Sequence,
                        AuditChainHead::Hash,
                    ])
                    .values_panic([1.into(), 0i64.into(), "0".repeat(64).into()])
                    .to_owned(),
            )
            .await?;
        index(manager, "audit_event", &["occurred_at", "id"], false).await?;
        index(manager, "audit_event", &["entity_id", "occurred_at"], false).await?;
        index(
            manager,
            "audit_event",
            &["release_id", "occurred_at"],
            false,
        )
        .await?;
        index(manager, "audit_event", &["actor_id", "occurred_at"], false).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["audit_chain_head", "audit_event"]).await
    }
}
