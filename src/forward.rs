//! The family impls of the wrappers ([`Mirror`](crate::Mirror), [`Fallback`](crate::Fallback)):
//! each method hands its call to the wrapper's one generic helper, keyed by the operation, so
//! a new operation is one line here. `clippy::missing_trait_methods` is denied on them, so a
//! method added to a family trait cannot be left to a default.

/// Implements every family for `$ty` through `self.$helper(op, |p| …)`; `create_group` goes
/// through the wrapper's own `create_group_routed` (a mirror picks one id for both vendors).
macro_rules! forward_families {
    ($ty:ty, $helper:ident) => {
        $crate::forward::forward_families!(@family $ty, $helper, Users, users {
            register_user(RegisterUser) -> ClientToken;
            register_users(RegisterUsers) -> Batch<String>;
            issue_token(IssueToken) -> ClientToken;
            delete_users(DeleteUsers) -> Batch<UserDeletion>;
            check_users(CheckUsers) -> Batch<UserExistence>;
            query_online(QueryOnline) -> Batch<Presence>;
            force_logout(ForceLogout) -> ();
            ban_users(BanUsers) -> Batch<String>;
            unban_users(UnbanUsers) -> Batch<String>;
            list_banned_users(ListBannedUsers) -> Page<BannedUser>;
        });
        $crate::forward::forward_families!(@family $ty, $helper, Profiles, profiles {
            set_profile(SetProfile) -> ();
            get_profiles(GetProfiles) -> Batch<Profile>;
        });
        $crate::forward::forward_families!(@family $ty, $helper, Messages, messages {
            send_message(SendMessage) -> MessageReceipt;
            send_batch(SendBatch) -> Batch<Delivery>;
            send_system_message(SendSystemMessage) -> Batch<Delivery>;
            recall_message(RecallMessage) -> ();
            message_history(MessageHistory) -> Page<HistoryMessage>;
            import_messages(ImportMessages) -> Batch<MessageRef>;
        });
        $crate::forward::forward_families!(@family $ty, $helper, Groups, groups {
            get_groups(GetGroups) -> Batch<GroupInfo>;
            list_groups(ListGroups) -> Page<String>;
            update_group(UpdateGroup) -> ();
            dismiss_group(DismissGroup) -> ();
            transfer_group(TransferGroup) -> ();
            add_group_members(AddGroupMembers) -> Batch<AddedMember>;
            remove_group_members(RemoveGroupMembers) -> Batch<String>;
            list_group_members(ListGroupMembers) -> Page<GroupMember>;
            list_joined_groups(ListJoinedGroups) -> Page<String>;
            mute_group_members(MuteGroupMembers) -> Batch<String>;
            list_muted_members(ListMutedMembers) -> Page<MutedMember>;
            set_group_mute_all(SetGroupMuteAll) -> ();
        } create_group);
    };
    (@family $ty:ty, $helper:ident, $trait:ident, $accessor:ident {
        $( $method:ident($req:ident) -> $ret:ty; )*
    } $($routed:ident)?) => {
        const _: () = {
            #[allow(unused_imports, reason = "each family uses some of the result types")]
            use imbridge_core::{
                AddedMember, BannedUser, Batch, ClientToken, CreatedGroup, Delivery, GroupInfo,
                GroupMember, HistoryMessage, MessageReceipt, MessageRef, MutedMember, Page,
                Presence, Profile, UserDeletion, UserExistence,
            };

            #[async_trait::async_trait]
            #[deny(clippy::missing_trait_methods)]
            impl imbridge_core::$trait for $ty {
                $(
                    async fn $routed(
                        &self,
                        req: &imbridge_core::CreateGroup,
                    ) -> imbridge_core::Result<CreatedGroup> {
                        self.create_group_routed(req).await
                    }
                )?
                $(
                    async fn $method(
                        &self,
                        req: &imbridge_core::$req,
                    ) -> imbridge_core::Result<$ret> {
                        self.$helper(imbridge_core::Operation::$req, |p| p.$accessor().$method(req))
                            .await
                    }
                )*
            }
        };
    };
}
pub(crate) use forward_families;
