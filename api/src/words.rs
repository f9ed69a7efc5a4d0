//! Closed sets of words a record takes (a status, a channel), each with its stored text and
//! its Chinese and English labels, written once.

macro_rules! words {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $(#[doc = $zh] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == s)
            }

            pub fn label(self, lang: $crate::Lang) -> &'static str {
                match self {
                    $($name::$variant => lang.pick($zh, $en),)+
                }
            }
        }
    };
}
