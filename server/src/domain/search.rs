//! Case-insensitive "contains" search with the user's `%` and `_` taken literally.

use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, SimpleExpr};
use sea_orm::{ColumnTrait, Condition};

/// The LIKE pattern for "contains `text`", lower-cased, wildcards escaped.
pub fn contains_pattern(text: &str) -> LikeExpr {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    LikeExpr::new(pattern).escape('\\')
}

/// `lower(column) LIKE '%text%'` for any of the columns.
pub fn any_contains<C: ColumnTrait>(columns: &[C], text: &str) -> Condition {
    columns.iter().fold(Condition::any(), |condition, column| {
        let lowered: SimpleExpr = Func::lower(Expr::col(*column)).into();
        condition.add(lowered.like(contains_pattern(text)))
    })
}

/// `column LIKE '%text%'` for a column that is already stored lower-cased.
pub fn lowered_contains<C: ColumnTrait>(column: C, text: &str) -> SimpleExpr {
    Expr::col(column).like(contains_pattern(text))
}
