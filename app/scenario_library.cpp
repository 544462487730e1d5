// Finding scenario files: the shipped ones in the executable's resources, the user's in a folder.
#include "scenario_library.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <stdexcept>

namespace hl::app {

namespace {
constexpr const char* kFolderKey = "scenarios/folder";

QSettings userSettings()
{
    return QSettings(QSettings::IniFormat, QSettings::UserScope, QStringLiteral("HandshakeLab"),
                     QStringLiteral("HandshakeLab"));
}

std::vector<ScenarioEntry> loadShipped()
{
    QStringList paths;
    QDirIterator it(QStringLiteral(":/scenarios"), {QStringLiteral("*.yaml")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        paths << it.next();
    paths.sort();
    std::vector<ScenarioEntry> out;
    for (const QString& path : paths) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            throw std::runtime_error("cannot read the shipped scenario " + path.toStdString());
        ScenarioEntry e;
        e.path = path.toStdString();
        e.shipped = true;
        // Shipped files name demo identities only, so no folder is needed to resolve them.
        e.scenario = parseScenario(f.readAll().toStdString(), path.mid(2).toStdString(), std::string());
        out.push_back(std::move(e));
    }
    return out;
}

const std::vector<ScenarioEntry>& shipped()
{
    static const std::vector<ScenarioEntry> entries = loadShipped();
    return entries;
}

bool looksLikePath(const std::string& s)
{
    const auto endsWith = [&](const char* suffix) {
        const std::string x = suffix;
        return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
    };
    return s.find('/') != std::string::npos || endsWith(".yaml") || endsWith(".yml");
}
} // namespace

std::span<const Scenario> builtinScenarios()
{
    static const std::vector<Scenario> scenarios = [] {
        std::vector<Scenario> v;
        for (const ScenarioEntry& e : shipped())
            v.push_back(e.scenario);
        return v;
    }();
    return scenarios;
}

const Scenario* findScenario(std::string_view name)
{
    for (const Scenario& s : builtinScenarios())
        if (s.name == name)
            return &s;
    return nullptr;
}

std::string userScenarioFolder()
{
    if (const char* env = std::getenv("HANDSHAKELAB_SCENARIO_DIR"); env && *env)
        return env;
    const QString chosen = userSettings().value(QLatin1String(kFolderKey)).toString();
    if (!chosen.isEmpty())
        return chosen.toStdString();
    return (QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
            QStringLiteral("/HandshakeLab/scenarios"))
        .toStdString();
}

void setUserScenarioFolder(const std::string& folder)
{
    QSettings s = userSettings();
    s.setValue(QLatin1String(kFolderKey), QString::fromStdString(folder));
}

std::vector<ScenarioEntry> folderScenarios(const std::string& folder)
{
    std::vector<ScenarioEntry> out;
    const QDir dir(QString::fromStdString(folder));
    if (folder.empty() || !dir.exists())
        return out;
    QStringList paths;
    QDirIterator it(dir.path(), {QStringLiteral("*.yaml"), QStringLiteral("*.yml")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        paths << it.next();
    paths.sort();
    for (const QString& path : paths) {
        ScenarioEntry e;
        e.path = path.toStdString();
        try {
            e.scenario = loadScenarioFile(e.path);
        } catch (const ScenarioFileError& error) {
            e.error = error.what();
            e.scenario.name = QFileInfo(path).completeBaseName().toStdString();
            e.scenario.title = e.scenario.name;
            e.scenario.topic = "My scenarios";
        }
        out.push_back(std::move(e));
    }
    return out;
}

std::vector<ScenarioEntry> scenarioLibrary()
{
    std::vector<ScenarioEntry> all = shipped();
    std::map<std::string, std::string> taken;
    for (const ScenarioEntry& e : all)
        taken.emplace(e.scenario.name, e.path);
    for (ScenarioEntry& e : folderScenarios(userScenarioFolder())) {
        if (e.error.empty()) {
            if (const auto it = taken.find(e.scenario.name); it != taken.end())
                e.error = ScenarioFileError(e.path, 0,
                                            "the name \"" + e.scenario.name + "\" is already used by " +
                                                (it->second.rfind(":/", 0) == 0 ? "a shipped scenario" : it->second) +
                                                "; rename the file")
                              .what();
            else
                taken.emplace(e.scenario.name, e.path);
        }
        all.push_back(std::move(e));
    }
    return all;
}

Scenario resolveScenario(const std::string& nameOrFile)
{
    if (looksLikePath(nameOrFile))
        return loadScenarioFile(nameOrFile);
    std::string known;
    for (const ScenarioEntry& e : scenarioLibrary()) {
        if (e.scenario.name == nameOrFile) {
            if (!e.error.empty()) {
                loadScenarioFile(e.path); // throws the file's own error
                throw ScenarioFileError(e.path, 0, "the name \"" + nameOrFile + "\" is used by more than one file; "
                                                   "rename this one");
            }
            return e.scenario;
        }
        if (e.error.empty())
            known += " " + e.scenario.name;
    }
    throw std::invalid_argument("unknown scenario \"" + nameOrFile + "\"; known:" + known +
                                " (or give a scenario file's path)");
}

} // namespace hl::app
