// Renders an export as YAML with comments, or the Secrets as a kubectl script.
#include "config/export/ExportedManifests.h"

#include "config/YamlCodec.h"

using namespace Qt::StringLiterals;

namespace quarry::config {
namespace {

QByteArray commentBlock(const QStringList &lines)
{
    QByteArray text;
    for (const QString &line : lines)
        text += (line.isEmpty() ? u"#"_s : u"# "_s + line).toUtf8() + '\n';
    return text;
}

// A long warning as comment lines of at most kWidth columns, continued under its text.
constexpr int kWidth = 100;
QStringList wrapped(const QString &text, const QString &first, const QString &rest)
{
    QStringList lines;
    QString line = first;
    for (const QString &word : text.split(u' ')) {
        if (line.size() + word.size() + 1 > kWidth && line.size() > rest.size()) {
            lines.append(line);
            line = rest;
        }
        line += (line == first || line == rest ? QString() : u" "_s) + word;
    }
    lines.append(line);
    return lines;
}

} // namespace

QByteArray ExportedManifests::yaml(const ExportedDocument &document)
{
    return commentBlock(document.comments) + YamlCodec::write({document.object});
}

QByteArray ExportedManifests::yaml() const
{
    QStringList top = header;
    if (!warnings.isEmpty()) {
        top.append(QString());
        top.append(u"Not carried over (also printed as warnings):"_s);
        for (const QString &warning : warnings)
            top.append(wrapped(warning, u"  - "_s, u"    "_s));
    }
    if (!secretCommands.isEmpty()) {
        top.append(QString());
        top.append(u"Create the Secrets first, with the values in these environment variables:"_s);
        top.append(secretCommands);
    }
    QByteArray text = commentBlock(top);
    for (const ExportedDocument &document : documents)
        text += "---\n" + yaml(document);
    return text;
}

QByteArray ExportedManifests::secretScript() const
{
    QByteArray text = "#!/bin/sh\n# The Secrets the exported backends refer to; the values come from the "
                      "environment.\nset -eu\n";
    for (const QString &command : secretCommands)
        text += command.toUtf8() + '\n';
    return text;
}

} // namespace quarry::config
