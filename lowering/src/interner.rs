//! chalkboard's chalk-ir interner, [`Ir`].
//!
//! The interner does no interning at all (types are `Arc`s, lists are
//! `Vec`s), like chalk's own test interner. What matters is its `Debug`
//! output: chalk's test expectations are compared character for character
//! with answers printed through these hooks, so every hook prints exactly
//! what chalk-integration prints. Names of items come from a thread-local
//! debug context, the program being printed, installed with
//! [`crate::with_program`] (the one way to install it). The interner knows
//! the program only through the [`DebugContext`] trait, so the data model
//! depends on the interner and not the other way round.

use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

use chalk_ir::interner::{HasInterner, Interner};
use chalk_ir::{
    AdtId, AliasTy, AssocTypeId, CanonicalVarKind, CanonicalVarKinds, ConstData, Constraint,
    Constraints, FnDefId, GenericArg, GenericArgData, Goal, GoalData, Goals, InEnvironment,
    Lifetime, LifetimeData, OpaqueTy, OpaqueTyId, ProgramClause, ProgramClauseData,
    ProgramClauseImplication, ProgramClauses, ProjectionTy, QuantifiedWhereClause,
    QuantifiedWhereClauses, SeparatorTraitRef, Substitution, TraitId, Ty, TyData, TyKind,
    VariableKind, VariableKinds, Variance, Variances,
};

/// The id of every item, associated type and associated type value.
///
/// Ids are handed out from one counter in source order, exactly as chalk
/// does, because some answers print raw ids (closures print as
/// `ClosureId(#3)`) and because chalk enumerates impls in id order.
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RawId {
    pub index: u32,
}

impl fmt::Debug for RawId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.index)
    }
}

/// The ABI of a function pointer or fn definition; only the two ABIs that
/// chalk's language accepts exist.
#[derive(Copy, Clone, PartialEq, Eq, Hash)]
pub enum FnAbi {
    Rust,
    C,
}

impl fmt::Debug for FnAbi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // chalk prints ABIs quoted and in lower case.
        f.write_str(match self {
            FnAbi::Rust => "\"rust\"",
            FnAbi::C => "\"c\"",
        })
    }
}

/// chalkboard's interner.
#[derive(Debug, Copy, Clone, Hash, PartialOrd, Ord, PartialEq, Eq)]
pub struct Ir;

/// What the `Debug` hooks need from the program being printed: the names
/// of its items.
pub trait DebugContext: Send + Sync {
    fn debug_adt_id(&self, id: AdtId<Ir>, fmt: &mut fmt::Formatter<'_>) -> fmt::Result;
    fn debug_trait_id(&self, id: TraitId<Ir>, fmt: &mut fmt::Formatter<'_>) -> fmt::Result;
    fn debug_assoc_type_id(&self, id: AssocTypeId<Ir>, fmt: &mut fmt::Formatter<'_>)
        -> fmt::Result;
    fn debug_opaque_ty_id(&self, id: OpaqueTyId<Ir>, fmt: &mut fmt::Formatter<'_>) -> fmt::Result;
    fn debug_fn_def_id(&self, id: FnDefId<Ir>, fmt: &mut fmt::Formatter<'_>) -> fmt::Result;
    fn debug_projection_ty(
        &self,
        proj: &ProjectionTy<Ir>,
        fmt: &mut fmt::Formatter<'_>,
    ) -> fmt::Result;
    fn debug_opaque_ty(&self, opaque: &OpaqueTy<Ir>, fmt: &mut fmt::Formatter<'_>) -> fmt::Result;
}

thread_local! {
    static CURRENT: RefCell<Option<Arc<dyn DebugContext>>> = const { RefCell::new(None) };
}

/// Runs `f` with `context` as the debug context the `Debug` hooks print
/// with. Calls nest: the previous context (if any) is restored afterwards,
/// even when `f` panics.
pub(crate) fn with_debug_context<R>(context: Arc<dyn DebugContext>, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Arc<dyn DebugContext>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            CURRENT.with(|slot| *slot.borrow_mut() = previous);
        }
    }
    let previous = CURRENT.with(|slot| slot.borrow_mut().replace(context));
    let _restore = Restore(previous);
    f()
}

/// Calls `f` on the current debug context, or returns `None` (chalk's
/// fallback format) when there is none.
///
/// The `Arc` is cloned out of the slot so that no borrow is held while a
/// hook prints (printing re-enters the hooks).
fn with_current<R>(f: impl FnOnce(&dyn DebugContext) -> R) -> Option<R> {
    let current = CURRENT.with(|slot| slot.borrow().clone());
    current.map(|c| f(&*c))
}

impl Interner for Ir {
    type InternedType = Arc<TyData<Ir>>;
    type InternedLifetime = LifetimeData<Ir>;
    type InternedConst = Arc<ConstData<Ir>>;
    type InternedConcreteConst = u32;
    type InternedGenericArg = GenericArgData<Ir>;
    type InternedGoal = Arc<GoalData<Ir>>;
    type InternedGoals = Vec<Goal<Ir>>;
    type InternedSubstitution = Vec<GenericArg<Ir>>;
    type InternedProgramClause = ProgramClauseData<Ir>;
    type InternedProgramClauses = Vec<ProgramClause<Ir>>;
    type InternedQuantifiedWhereClauses = Vec<QuantifiedWhereClause<Ir>>;
    type InternedVariableKinds = Vec<VariableKind<Ir>>;
    type InternedCanonicalVarKinds = Vec<CanonicalVarKind<Ir>>;
    type InternedConstraints = Vec<InEnvironment<Constraint<Ir>>>;
    type InternedVariances = Vec<Variance>;
    type DefId = RawId;
    type InternedAdtId = RawId;
    type Identifier = String;
    type FnAbi = FnAbi;

    fn debug_adt_id(id: AdtId<Ir>, fmt: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
        with_current(|p| p.debug_adt_id(id, fmt))
    }

    fn debug_trait_id(id: TraitId<Ir>, fmt: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
        with_current(|p| p.debug_trait_id(id, fmt))
    }

    fn debug_assoc_type_id(
        id: AssocTypeId<Ir>,
        fmt: &mut fmt::Formatter<'_>,
    ) -> Option<fmt::Result> {
        with_current(|p| p.debug_assoc_type_id(id, fmt))
    }

    fn debug_opaque_ty_id(id: OpaqueTyId<Ir>, fmt: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
        with_current(|p| p.debug_opaque_ty_id(id, fmt))
    }

    fn debug_fn_def_id(id: FnDefId<Ir>, fmt: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
        with_current(|p| p.debug_fn_def_id(id, fmt))
    }

    fn debug_alias(alias: &AliasTy<Ir>, fmt: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
        with_current(|p| match alias {
            AliasTy::Projection(proj) => p.debug_projection_ty(proj, fmt),
            AliasTy::Opaque(opaque) => p.debug_opaque_ty(opaque, fmt),
        })
    }

    fn debug_projection_ty(
        proj: &ProjectionTy<Ir>,
        fmt: &mut fmt::Formatter<'_>,
    ) -> Option<fmt::Result> {
        with_current(|p| p.debug_projection_ty(proj, fmt))
    }

    fn debug_opaque_ty(opaque: &OpaqueTy<Ir>, fmt: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
        with_current(|p| p.debug_opaque_ty(opaque, fmt))
    }

    fn debug_ty(ty: &Ty<Ir>, fmt: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
        with_current(|_| write!(fmt, "{:?}", ty.kind(Ir).debug(Ir)))
    }

    fn debug_lifetime(
        lifetime: &Lifetime<Ir>,
        fmt: &mut fmt::Formatter<'_>,
    ) -> Option<fmt::Result> {
        // chalk prints lifetimes the same way with or without a program.
        Some(write!(fmt, "{:?}", lifetime.data(Ir)))
    }

    fn debug_generic_arg(
        arg: &GenericArg<Ir>,
        fmt: &mut fmt::Formatter<'_>,
    ) -> Option<fmt::Result> {
        with_current(|_| write!(fmt, "{:?}", arg.data(Ir).inner_debug()))
    }

    fn debug_variable_kinds(
        kinds: &VariableKinds<Ir>,
        fmt: &mut fmt::Formatter<'_>,
    ) -> Option<fmt::Result> {
        with_current(|_| write!(fmt, "{:?}", kinds.as_slice(Ir)))
    }

    fn debug_variable_kinds_with_angles(
        kinds: &VariableKinds<Ir>,
        fmt: &mut fmt::Formatter<'_>,
    ) -> Option<fmt::Result> {
        with_current(|_| write!(fmt, "{:?}", kinds.inner_debug(Ir)))
    }

    fn debug_canonical_var_kinds(
        kinds: &CanonicalVarKinds<Ir>,
        fmt: &mut fmt::Formatter<'_>,
    ) -> Option<fmt::Result> {
        with_current(|_| write!(fmt, "{:?}", kinds.as_slice(Ir)))
    }

    fn debug_goal(goal: &Goal<Ir>, fmt: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
        with_current(|_| write!(fmt, "{:?}", goal.data(Ir)))
    }

    fn debug_goals(goals: &Goals<Ir>, fmt: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
        with_current(|_| write!(fmt, "{:?}", goals.debug(Ir)))
    }

    fn debug_program_clause_implication(
        pci: &ProgramClauseImplication<Ir>,
        fmt: &mut fmt::Formatter<'_>,
    ) -> Option<fmt::Result> {
        with_current(|_| write!(fmt, "{:?}", pci.debug(Ir)))
    }

    fn debug_program_clause(
        clause: &ProgramClause<Ir>,
        fmt: &mut fmt::Formatter<'_>,
    ) -> Option<fmt::Result> {
        with_current(|_| write!(fmt, "{:?}", clause.data(Ir)))
    }

    fn debug_program_clauses(
        clauses: &ProgramClauses<Ir>,
        fmt: &mut fmt::Formatter<'_>,
    ) -> Option<fmt::Result> {
        with_current(|_| write!(fmt, "{:?}", clauses.as_slice(Ir)))
    }

    fn debug_substitution(
        substitution: &Substitution<Ir>,
        fmt: &mut fmt::Formatter<'_>,
    ) -> Option<fmt::Result> {
        with_current(|_| write!(fmt, "{:?}", substitution.debug(Ir)))
    }

    fn debug_separator_trait_ref(
        trait_ref: &SeparatorTraitRef<'_, Ir>,
        fmt: &mut fmt::Formatter<'_>,
    ) -> Option<fmt::Result> {
        with_current(|_| write!(fmt, "{:?}", trait_ref.debug(Ir)))
    }

    fn debug_quantified_where_clauses(
        clauses: &QuantifiedWhereClauses<Ir>,
        fmt: &mut fmt::Formatter<'_>,
    ) -> Option<fmt::Result> {
        with_current(|_| write!(fmt, "{:?}", clauses.as_slice(Ir)))
    }

    fn debug_constraints(
        constraints: &Constraints<Ir>,
        fmt: &mut fmt::Formatter<'_>,
    ) -> Option<fmt::Result> {
        with_current(|_| write!(fmt, "{:?}", constraints.as_slice(Ir)))
    }

    fn debug_variances(
        variances: &Variances<Ir>,
        fmt: &mut fmt::Formatter<'_>,
    ) -> Option<fmt::Result> {
        with_current(|_| write!(fmt, "{:?}", variances.as_slice(Ir)))
    }

    fn intern_ty(self, kind: TyKind<Ir>) -> Arc<TyData<Ir>> {
        let flags = kind.compute_flags(self);
        Arc::new(TyData { kind, flags })
    }

    fn ty_data(self, ty: &Arc<TyData<Ir>>) -> &TyData<Ir> {
        ty
    }

    fn intern_lifetime(self, lifetime: LifetimeData<Ir>) -> LifetimeData<Ir> {
        lifetime
    }

    fn lifetime_data(self, lifetime: &LifetimeData<Ir>) -> &LifetimeData<Ir> {
        lifetime
    }

    fn intern_const(self, constant: ConstData<Ir>) -> Arc<ConstData<Ir>> {
        Arc::new(constant)
    }

    fn const_data(self, constant: &Arc<ConstData<Ir>>) -> &ConstData<Ir> {
        constant
    }

    fn const_eq(self, _ty: &Arc<TyData<Ir>>, c1: &u32, c2: &u32) -> bool {
        c1 == c2
    }

    fn intern_generic_arg(self, data: GenericArgData<Ir>) -> GenericArgData<Ir> {
        data
    }

    fn generic_arg_data(self, data: &GenericArgData<Ir>) -> &GenericArgData<Ir> {
        data
    }

    fn intern_goal(self, goal: GoalData<Ir>) -> Arc<GoalData<Ir>> {
        Arc::new(goal)
    }

    fn goal_data(self, goal: &Arc<GoalData<Ir>>) -> &GoalData<Ir> {
        goal
    }

    fn intern_goals<E>(
        self,
        data: impl IntoIterator<Item = Result<Goal<Ir>, E>>,
    ) -> Result<Vec<Goal<Ir>>, E> {
        data.into_iter().collect()
    }

    fn goals_data(self, goals: &Vec<Goal<Ir>>) -> &[Goal<Ir>] {
        goals
    }

    fn intern_substitution<E>(
        self,
        data: impl IntoIterator<Item = Result<GenericArg<Ir>, E>>,
    ) -> Result<Vec<GenericArg<Ir>>, E> {
        data.into_iter().collect()
    }

    fn substitution_data(self, substitution: &Vec<GenericArg<Ir>>) -> &[GenericArg<Ir>] {
        substitution
    }

    fn intern_program_clause(self, data: ProgramClauseData<Ir>) -> ProgramClauseData<Ir> {
        data
    }

    fn program_clause_data(self, clause: &ProgramClauseData<Ir>) -> &ProgramClauseData<Ir> {
        clause
    }

    fn intern_program_clauses<E>(
        self,
        data: impl IntoIterator<Item = Result<ProgramClause<Ir>, E>>,
    ) -> Result<Vec<ProgramClause<Ir>>, E> {
        data.into_iter().collect()
    }

    fn program_clauses_data(self, clauses: &Vec<ProgramClause<Ir>>) -> &[ProgramClause<Ir>] {
        clauses
    }

    fn intern_quantified_where_clauses<E>(
        self,
        data: impl IntoIterator<Item = Result<QuantifiedWhereClause<Ir>, E>>,
    ) -> Result<Vec<QuantifiedWhereClause<Ir>>, E> {
        data.into_iter().collect()
    }

    fn quantified_where_clauses_data(
        self,
        clauses: &Vec<QuantifiedWhereClause<Ir>>,
    ) -> &[QuantifiedWhereClause<Ir>] {
        clauses
    }

    fn intern_generic_arg_kinds<E>(
        self,
        data: impl IntoIterator<Item = Result<VariableKind<Ir>, E>>,
    ) -> Result<Vec<VariableKind<Ir>>, E> {
        data.into_iter().collect()
    }

    fn variable_kinds_data(self, kinds: &Vec<VariableKind<Ir>>) -> &[VariableKind<Ir>] {
        kinds
    }

    fn intern_canonical_var_kinds<E>(
        self,
        data: impl IntoIterator<Item = Result<CanonicalVarKind<Ir>, E>>,
    ) -> Result<Vec<CanonicalVarKind<Ir>>, E> {
        data.into_iter().collect()
    }

    fn canonical_var_kinds_data(
        self,
        kinds: &Vec<CanonicalVarKind<Ir>>,
    ) -> &[CanonicalVarKind<Ir>] {
        kinds
    }

    fn intern_constraints<E>(
        self,
        data: impl IntoIterator<Item = Result<InEnvironment<Constraint<Ir>>, E>>,
    ) -> Result<Vec<InEnvironment<Constraint<Ir>>>, E> {
        data.into_iter().collect()
    }

    fn constraints_data(
        self,
        constraints: &Vec<InEnvironment<Constraint<Ir>>>,
    ) -> &[InEnvironment<Constraint<Ir>>] {
        constraints
    }

    fn intern_variances<E>(
        self,
        data: impl IntoIterator<Item = Result<Variance, E>>,
    ) -> Result<Vec<Variance>, E> {
        data.into_iter().collect()
    }

    fn variances_data(self, variances: &Vec<Variance>) -> &[Variance] {
        variances
    }
}

impl HasInterner for Ir {
    type Interner = Ir;
}
