extension Equivariance {
    /// Which subgroup of a computed pose's group is an exact symmetry of the model.
    public enum ExactPart: Sendable, Equatable, CustomStringConvertible {
        /// No exact part: the whole equivariance is approximate, and the flow gets every proxy.
        case none
        /// The common translation (the diagonal subgroup, g_I = c for every component I) is exact
        /// and acts on θ by moving one parameter, θ[moving] ↦ θ[moving] + c (e.g. the geocentric
        /// arrival time of a gravitational wave). The group must compose by adding coordinates
        /// (``TimeTranslation``, ``ValueTranslation``).
        case commonTranslation(moving: String)

        /// `none` or `commonTranslation(moving: "t₀")`.
        public var description: String {
            switch self {
            case .none: return "none"
            case let .commonTranslation(moving): return "commonTranslation(moving: \"\(moving)\")"
            }
        }
    }
}
