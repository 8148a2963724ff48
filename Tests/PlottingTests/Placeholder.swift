import Testing
import Plotting
