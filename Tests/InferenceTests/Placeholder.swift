import Testing
import Inference
