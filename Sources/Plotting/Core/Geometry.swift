/// A point in drawing coordinates (pixels, origin at the top left, y pointing down).
public struct Point: Equatable, Sendable {
    /// Horizontal position in pixels.
    public var x: Double
    /// Vertical position in pixels (down is positive).
    public var y: Double

    /// Creates a point.
    /// - Parameters:
    ///   - x: Horizontal position in pixels.
    ///   - y: Vertical position in pixels.
    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// An axis-aligned rectangle in drawing coordinates.
public struct Rect: Equatable, Sendable {
    /// Left edge.
    public var x: Double
    /// Top edge.
    public var y: Double
    /// Width (non-negative).
    public var width: Double
    /// Height (non-negative).
    public var height: Double

    /// Creates a rectangle from its top-left corner and size.
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The right edge.
    public var maxX: Double { x + width }
    /// The bottom edge.
    public var maxY: Double { y + height }
    /// The horizontal centre.
    public var midX: Double { x + width / 2 }
    /// The vertical centre.
    public var midY: Double { y + height / 2 }
}

/// A drawing size in pixels.
public struct Size: Equatable, Sendable {
    /// Throws unless both sides are finite and within `minimum`…20,000 pixels.
    /// - Parameters:
    ///   - minimum: The smallest allowed width and height.
    ///   - plot: The plot's name, for the message.
    /// - Throws: ``PlottingError/invalidOption(_:)`` naming the size.
    func validate(minimum: Size, for plot: String) throws {
        guard width >= minimum.width, height >= minimum.height, width <= 20_000, height <= 20_000 else {
            throw PlottingError.invalidOption(
                "a \(plot) needs a size between \(Int(minimum.width)) × \(Int(minimum.height)) and 20000 × 20000 pixels, got \(width) × \(height)")
        }
    }

    /// Width in pixels.
    public var width: Double
    /// Height in pixels.
    public var height: Double

    /// Creates a size.
    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }
}
