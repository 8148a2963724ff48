import Testing
import Spectral
