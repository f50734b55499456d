//! Systems and the environment catalogue: groups, environments, hosted systems, configuration.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{drop_tables, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum System {
    Table,
    Id,
    Code,
    Name,
    Description,
    Owner,
    Criticality,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EnvironmentGroup {
    Table,
    Id,
    Name,
    Description,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Environment {
    Table,
    Id,
    Name,
    Tier,
    Status,
    GroupId,
    Description,
    Url,
    OwnerId,
    Capacity,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EnvironmentSystem {
    Table,
    EnvironmentId,
    SystemId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ConfigEntry {
    Table,
    Id,
    EnvironmentId,
    Key,
    Value,
    Secret,
    UpdatedAt,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum ConfigChange {
    Table,
    Id,
    EnvironmentId,
    Key,
    OldValue,
    NewValue,
    Secret,
    ChangedAt,
    ChangedBy,
    ChangedByName,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(System::Table)
                    .col(pk_uuid(System::Id))
                    .col(string_len_uniq(System::Code, 40))
                    .col(string_len(System::Name, 200))
                    .col(text_null(System::Description))
                    .col(string_len_null(System::Owner, 200))
                    .col(string_len(System::Criticality, 32))
                    .col(timestamp_with_time_zone(System::CreatedAt))
                    .col(timestamp_with_time_zone(System::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        index(manager, "system", &["name", "id"], false).await?;
        index(manager, "system", &["criticality"], false).await?;
        index(manager, "system", &["created_at", "id"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(EnvironmentGroup::Table)
                    .col(pk_uuid(EnvironmentGroup::Id))
                    .col(string_len_uniq(EnvironmentGroup::Name, 200))
                    .col(text_null(EnvironmentGroup::Description))
                    .col(timestamp_with_time_zone(EnvironmentGroup::CreatedAt))
                    .col(timestamp_with_time_zone(EnvironmentGroup::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Environment::Table)
                    .col(pk_uuid(Environment::Id))
                    .col(string_len_uniq(Environment::Name, 200))
                    .col(string_len(Environment::Tier, 32))
                    .col(string_len(Environment::Status, 32))
                    .col(uuid_null(Environment::GroupId))
                    .col(text_null(Environment::Description))
                    .col(string_len_null(Environment::Url, 2000))
                    .col(uuid_null(Environment::OwnerId))
                    .col(integer(Environment::Capacity))
                    .col(timestamp_with_time_zone(Environment::CreatedAt))
                    .col(timestamp_with_time_zone(Environment::UpdatedAt))
                    .foreign_key(&mut fk(
                        "environment",
                        "group_id",
                        "environment_group",
                        ForeignKeyAction::SetNull,
                    ))
                    .foreign_key(&mut fk(
                        "environment",
                        "owner_id",
                        "app_user",
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "environment", &["tier"], false).await?;
        index(manager, "environment", &["status"], false).await?;
        index(manager, "environment", &["group_id"], false).await?;
        index(manager, "environment", &["owner_id"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(EnvironmentSystem::Table)
                    .col(uuid(EnvironmentSystem::EnvironmentId))
                    .col(uuid(EnvironmentSystem::SystemId))
                    .col(timestamp_with_time_zone(EnvironmentSystem::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(EnvironmentSystem::EnvironmentId)
                            .col(EnvironmentSystem::SystemId),
                    )
                    .foreign_key(&mut fk(
                        "environment_system",
                        "environment_id",
                        "environment",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "environment_system",
                        "system_id",
                        "system",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "environment_system", &["system_id"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(ConfigEntry::Table)
                    .col(pk_uuid(ConfigEntry::Id))
                    .col(uuid(ConfigEntry::EnvironmentId))
                    .col(string_len(ConfigEntry::Key, 200))
                    .col(text(ConfigEntry::Value))
                    .col(boolean(ConfigEntry::Secret))
                    .col(timestamp_with_time_zone(ConfigEntry::UpdatedAt))
                    .col(uuid_null(ConfigEntry::UpdatedBy))
                    .foreign_key(&mut fk(
                        "config_entry",
                        "environment_id",
                        "environment",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "config_entry", &["environment_id", "key"], true).await?;

        manager
            .create_table(
                Table::create()
                    .table(ConfigChange::Table)
                    .col(pk_uuid(ConfigChange::Id))
                    .col(uuid(ConfigChange::EnvironmentId))
                    .col(string_len(ConfigChange::Key, 200))
                    .col(text_null(ConfigChange::OldValue))
                    .col(text_null(ConfigChange::NewValue))
                    .col(boolean(ConfigChange::Secret))
                    .col(timestamp_with_time_zone(ConfigChange::ChangedAt))
                    .col(uuid_null(ConfigChange::ChangedBy))
                    .col(string_len(ConfigChange::ChangedByName, 200))
                    .foreign_key(&mut fk(
                        "config_change",
                        "environment_id",
                        "environment",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "config_change",
            &["environment_id", "changed_at"],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "config_change",
                "config_entry",
                "environment_system",
                "environment",
                "environment_group",
                "system",
            ],
        )
        .await
    }
}
