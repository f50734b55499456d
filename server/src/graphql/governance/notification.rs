//! The caller's notifications, and outbound webhooks.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::{notification, webhook, webhook_delivery};

use crate::domain::identity::Permission;
use crate::domain::ids::{NotificationId, WebhookDeliveryId, WebhookId, encode_named};
use crate::domain::{governance::notify, governance::webhook as webhooks};
use crate::graphql::context::ContextExt;
use crate::graphql::enums::DeliveryStatus;
use crate::graphql::environment::system::DeletePayload;
use crate::graphql::error::{DomainResultExt, GqlResult, internal};
use crate::graphql::guard::Require;
use crate::graphql::ids::{parse, parse_all, to_id};
use crate::graphql::loaders::ReleaseById;
use crate::graphql::pagination::{self, Conn};
use crate::graphql::release::{DeleteByIdInput, Release};
use crate::graphql::scalars::DateTime;

/// A message for one user: a gate due or failed, a milestone missed, a booking decided…
pub struct Notification(pub notification::Model);

#[Object]
impl Notification {
    pub async fn id(&self) -> ID {
        to_id(NotificationId(self.0.id))
    }
    /// The rule that produced it, e.g. GATE_DUE, GATE_FAILED, MILESTONE_MISSED.
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn body(&self) -> &str {
        &self.0.body
    }
    async fn subject_type(&self) -> Option<&str> {
        self.0.subject_type.as_deref()
    }
    async fn subject_id(&self) -> Option<ID> {
        match (&self.0.subject_type, self.0.subject_id) {
            (Some(kind), Some(id)) => Some(ID(encode_named(kind, id))),
            _ => None,
        }
    }
    async fn release(&self, ctx: &Context<'_>) -> GqlResult<Option<Release>> {
        let Some(id) = self.0.release_id else {
            return Ok(None);
        };
        Ok(ctx
            .loader()
            .load_one(ReleaseById(id))
            .await
            .map_err(internal)?
            .map(Release))
    }
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    async fn read_at(&self) -> Option<DateTime> {
        self.0.read_at.map(Into::into)
    }
}

/// An admin-configured URL that receives notifications as signed JSON POSTs.
pub struct Webhook(pub webhook::Model);

#[Object]
impl Webhook {
    pub async fn id(&self) -> ID {
        to_id(WebhookId(self.0.id))
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn url(&self) -> &str {
        &self.0.url
    }
    /// Notification kinds sent; empty means all.
    async fn kinds(&self) -> Vec<String> {
        self.0
            .kinds
            .split(',')
            .filter(|k| !k.is_empty())
            .map(str::to_owned)
            .collect()
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    /// The delivery log, newest first.
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> GqlResult<Conn<WebhookDelivery>> {
        let page = webhooks::deliveries(
            ctx.store().conn(),
            WebhookId(self.0.id),
            &pagination::args(first, after, last, before),
            pagination::wants_total(ctx),
        )
        .await
        .gql()?;
        Ok(pagination::connection(page, WebhookDelivery))
    }
}

/// One notification sent (or being sent) to a webhook.
pub struct WebhookDelivery(pub webhook_delivery::Model);

#[Object]
impl WebhookDelivery {
    pub async fn id(&self) -> ID {
        to_id(WebhookDeliveryId(self.0.id))
    }
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    async fn status(&self) -> DeliveryStatus {
        self.0.status.into()
    }
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    async fn next_attempt_at(&self) -> Option<DateTime> {
        (self.0.status == entity::DeliveryStatus::Pending).then(|| self.0.next_attempt_at.into())
    }
    async fn last_status_code(&self) -> Option<i32> {
        self.0.last_status_code
    }
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    /// The JSON body sent.
    async fn payload(&self) -> &str {
        &self.0.payload
    }
    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
    async fn delivered_at(&self) -> Option<DateTime> {
        self.0.delivered_at.map(Into::into)
    }
}

#[derive(Default)]
pub struct NotificationQuery;

#[Object]
impl NotificationQuery {
    /// The caller's notifications, newest first.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn my_notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] unread_only: bool,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> GqlResult<Conn<Notification>> {
        let Some(user) = ctx.viewer().user().map(|u| u.id) else {
            return Ok(pagination::connection(
                crate::domain::page::Page {
                    items: vec![],
                    has_next_page: false,
                    has_previous_page: false,
                    total_count: Some(0),
                },
                Notification,
            ));
        };
        let page = notify::list(
            ctx.store().conn(),
            user,
            unread_only,
            &pagination::args(first, after, last, before),
            pagination::wants_total(ctx),
        )
        .await
        .gql()?;
        Ok(pagination::connection(page, Notification))
    }

    #[graphql(guard = "Require(Permission::Read)")]
    async fn unread_notification_count(&self, ctx: &Context<'_>) -> GqlResult<i32> {
        let Some(user) = ctx.viewer().user().map(|u| u.id) else {
            return Ok(0);
        };
        Ok(notify::unread_count(ctx.store().conn(), user).await.gql()? as i32)
    }

    #[graphql(guard = "Require(Permission::ManageWebhooks)")]
    async fn webhooks(&self, ctx: &Context<'_>) -> GqlResult<Vec<Webhook>> {
        Ok(webhooks::list(ctx.store().conn())
            .await
            .gql()?
            .into_iter()
            .map(Webhook)
            .collect())
    }

    /// The notification kinds webhooks can subscribe to.
    #[graphql(guard = "Require(Permission::Read)")]
    async fn notification_kinds(&self) -> Vec<&'static str> {
        notify::kind::ALL.to_vec()
    }
}

#[derive(InputObject)]
pub struct MarkNotificationsReadInput {
    /// The notifications to mark; all of the caller's when omitted.
    ids: Option<Vec<ID>>,
}

#[derive(SimpleObject)]
pub struct MarkNotificationsReadPayload {
    marked: i32,
}

#[derive(InputObject)]
pub struct CreateWebhookInput {
    name: String,
    url: String,
    /// Notification kinds to send; all when empty.
    #[graphql(default)]
    kinds: Vec<String>,
}

#[derive(SimpleObject)]
pub struct CreateWebhookPayload {
    webhook: Webhook,
    /// The signing secret, shown this once. Deliveries carry
    /// `X-Heatshield-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
    secret: String,
}

#[derive(InputObject)]
pub struct UpdateWebhookInput {
    id: ID,
    url: Option<String>,
    kinds: Option<Vec<String>>,
    active: Option<bool>,
}

#[derive(SimpleObject)]
pub struct WebhookPayload {
    webhook: Webhook,
}

#[derive(Default)]
pub struct NotificationMutation;

#[Object]
impl NotificationMutation {
    #[graphql(guard = "Require(Permission::Read)")]
    async fn mark_notifications_read(
        &self,
        ctx: &Context<'_>,
        input: MarkNotificationsReadInput,
    ) -> GqlResult<MarkNotificationsReadPayload> {
        let ids = input
            .ids
            .map(|ids| parse_all::<NotificationId>("ids", &ids))
            .transpose()?;
        let marked = notify::mark_read(ctx.store(), &ctx.actor(), ids)
            .await
            .gql()?;
        Ok(MarkNotificationsReadPayload {
            marked: marked as i32,
        })
    }

    #[graphql(guard = "Require(Permission::ManageWebhooks)")]
    async fn create_webhook(
        &self,
        ctx: &Context<'_>,
        input: CreateWebhookInput,
    ) -> GqlResult<CreateWebhookPayload> {
        let (model, secret) = webhooks::create(
            ctx.store(),
            &ctx.actor(),
            webhooks::NewWebhook {
                name: input.name,
                url: input.url,
                kinds: input.kinds,
            },
        )
        .await
        .gql()?;
        Ok(CreateWebhookPayload {
            webhook: Webhook(model),
            secret,
        })
    }

    #[graphql(guard = "Require(Permission::ManageWebhooks)")]
    async fn update_webhook(
        &self,
        ctx: &Context<'_>,
        input: UpdateWebhookInput,
    ) -> GqlResult<WebhookPayload> {
        let model = webhooks::update(
            ctx.store(),
            &ctx.actor(),
            parse("id", &input.id)?,
            input.url,
            input.kinds,
            input.active,
        )
        .await
        .gql()?;
        Ok(WebhookPayload {
            webhook: Webhook(model),
        })
    }

    #[graphql(guard = "Require(Permission::ManageWebhooks)")]
    async fn delete_webhook(
        &self,
        ctx: &Context<'_>,
        input: DeleteByIdInput,
    ) -> GqlResult<DeletePayload> {
        webhooks::delete(ctx.store(), &ctx.actor(), parse("id", &input.id)?)
            .await
            .gql()?;
        Ok(DeletePayload::new(input.id))
    }
}
