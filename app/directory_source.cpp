// Opening a user directory: the demo LDIF from the executable's resources, an LDIF file, or an LDAP URL.
#include "directory_source.h"

#include "ldap_directory.h"
#include "pki.h"

#include <QFile>

#include <filesystem>

namespace hl::app {

std::shared_ptr<const LdifDirectory> demoDirectory()
{
    static const std::shared_ptr<const LdifDirectory> directory = [] {
        QFile f(":/pki/demo-directory.ldif");
        if (!f.open(QIODevice::ReadOnly))
            throw std::runtime_error("the demo directory demo-directory.ldif is missing from this build (run "
                                     "scripts/make-pki.sh, then rebuild)");
        const std::string text = f.readAll().toStdString();
        return std::make_shared<const LdifDirectory>(parseLdif(text, "demo-directory.ldif"), "demo-directory.ldif");
    }();
    return directory;
}

std::shared_ptr<const LdifDirectory> loadLdifDirectory(const std::string& path)
{
    const std::string text = readTextFile(path);
    try {
        return std::make_shared<const LdifDirectory>(parseLdif(text, path),
                                                     std::filesystem::path(path).filename().string());
    } catch (const LdifError& e) {
        throw std::runtime_error(e.what());
    }
}

std::shared_ptr<const Directory> openDirectory(const std::string& spec)
{
    if (spec.rfind("ldap://", 0) == 0)
        return std::make_shared<const LdapDirectory>(spec);
    if (spec.find("://") != std::string::npos)
        throw std::runtime_error("\"" + spec + "\": a directory is ldap://HOST:PORT/BASE_DN or an LDIF file");
    return loadLdifDirectory(spec);
}

DirectoryMatch directoryMatchFromText(const std::string& text)
{
    DirectoryMatch m;
    if (text == "dn") {
        m.attribute.clear();
        return m;
    }
    if (text.empty() || text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") !=
                            std::string::npos)
        throw std::runtime_error("\"" + text + "\" is neither dn nor an attribute name (cn, uid, mail...)");
    m.attribute = text;
    return m;
}

} // namespace hl::app
