import App

try await Launcher.run()
