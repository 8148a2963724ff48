import Testing
import CellCompiler
