//! Users, API tokens, signed-out tokens and login attempts.

use sea_orm_migration::{prelude::*, schema::*};

use crate::util::{drop_tables, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AppUser {
    Table,
    Id,
    Email,
    DisplayName,
    PasswordHash,
    Roles,
    Active,
    SecurityStamp,
    ExternalSubject,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ApiToken {
    Table,
    Id,
    Name,
    SecretHash,
    Prefix,
    Roles,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum RevokedToken {
    Table,
    Jti,
    UserId,
    ExpiresAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum LoginAttempt {
    Table,
    Id,
    Email,
    Address,
    Succeeded,
    AttemptedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AppUser::Table)
                    .col(pk_uuid(AppUser::Id))
                    .col(string_len_uniq(AppUser::Email, 320))
                    .col(string_len(AppUser::DisplayName, 200))
                    .col(text_null(AppUser::PasswordHash))
                    .col(string_len(AppUser::Roles, 400))
                    .col(boolean(AppUser::Active))
                    .col(string_len(AppUser::SecurityStamp, 64))
                    .col(string_len_null(AppUser::ExternalSubject, 400))
                    .col(timestamp_with_time_zone(AppUser::CreatedAt))
                    .col(timestamp_with_time_zone(AppUser::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        index(manager, "app_user", &["external_subject"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiToken::Table)
                    .col(pk_uuid(ApiToken::Id))
                    .col(string_len(ApiToken::Name, 200))
                    .col(string_len_uniq(ApiToken::SecretHash, 64))
                    .col(string_len(ApiToken::Prefix, 16))
                    .col(string_len(ApiToken::Roles, 400))
                    .col(uuid_null(ApiToken::CreatedBy))
                    .col(timestamp_with_time_zone(ApiToken::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiToken::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiToken::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiToken::RevokedAt))
                    .foreign_key(&mut fk(
                        "api_token",
                        "created_by",
                        "app_user",
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "api_token", &["created_at"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(RevokedToken::Table)
                    .col(string_len(RevokedToken::Jti, 64).primary_key())
                    .col(uuid(RevokedToken::UserId))
                    .col(timestamp_with_time_zone(RevokedToken::ExpiresAt))
                    .col(timestamp_with_time_zone(RevokedToken::RevokedAt))
                    .to_owned(),
            )
            .await?;
        index(manager, "revoked_token", &["expires_at"], false).await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginAttempt::Table)
                    .col(pk_uuid(LoginAttempt::Id))
                    .col(string_len(LoginAttempt::Email, 320))
                    .col(string_len(LoginAttempt::Address, 64))
                    .col(boolean(LoginAttempt::Succeeded))
                    .col(timestamp_with_time_zone(LoginAttempt::AttemptedAt))
                    .to_owned(),
            )
            .await?;
        index(manager, "login_attempt", &["email", "attempted_at"], false).await?;
        index(
            manager,
            "login_attempt",
            &["address", "attempted_at"],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &["login_attempt", "revoked_token", "api_token", "app_user"],
        )
        .await
    }
}
