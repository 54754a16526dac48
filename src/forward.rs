//! The family impls of the wrappers ([`Mirror`](crate::Mirror), [`Fallback`](crate::Fallback)):
//! each method hands its call to the wrapper's one generic helper, keyed by the operation, so
//! a new operation is one line here. `clippy::missing_trait_methods` is denied on them, so a
//! method added to a family trait cannot be left to a default.

/// Implements [`Users`](imbridge_core::Users), [`Profiles`](imbridge_core::Profiles) and
/// [`Messages`](imbridge_core::Messages) for `$ty` through `self.$helper(op, |p| …)`.
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
        });
    };
    (@family $ty:ty, $helper:ident, $trait:ident, $accessor:ident {
        $( $method:ident($req:ident) -> $ret:ty; )*
    }) => {
        const _: () = {
            #[allow(unused_imports, reason = "each family uses some of the result types")]
            use imbridge_core::{
                BannedUser, Batch, ClientToken, MessageReceipt, Page, Presence, Profile,
                UserDeletion, UserExistence,
            };

            #[async_trait::async_trait]
            #[deny(clippy::missing_trait_methods)]
            impl imbridge_core::$trait for $ty {
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
