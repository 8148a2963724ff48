import Testing
import JupyterProtocol
