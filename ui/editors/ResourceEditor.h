// A resource shown twice, side by side: a form and its YAML manifest, kept in step. Editing the
// form rewrites the YAML; editing the YAML refills the form. Both are checked by the same
// parser `quarry apply` uses, and its message is shown at the field it is about.
#pragma once

#include "config/Resources.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTimer;

namespace quarry::ui {

class ResourceForm;

class ResourceEditor : public QWidget
{
    Q_OBJECT
public:
    // Takes ownership of form.
    explicit ResourceEditor(ResourceForm *form, QWidget *parent = nullptr);

    ResourceForm *form() const { return m_form; }
    QPlainTextEdit *yamlView() const { return m_yaml; }
    QLabel *yamlErrorLabel() const { return m_yamlError; }
    QLabel *formErrorLabel() const { return m_formError; }

    // Loads a resource into both views and clears errors and the modified flag.
    void setResource(const config::Resource &resource);
    // The resource as edited, when both views agree and it parses; else nullopt (see error()).
    std::optional<config::Resource> resource() const;
    QString error() const { return m_error; }
    bool isModified() const { return m_modified; }
    void setModified(bool modified);
    // Shows an error from elsewhere (e.g. ConfigStore::apply) at its field.
    void showError(const QString &message);

    // How long typing in the YAML view settles before it is parsed.
    static constexpr int kYamlSettleMs = 250;

public Q_SLOTS:
    void syncFromYaml(); // parse the YAML view now (normally after kYamlSettleMs)

Q_SIGNALS:
    void modifiedChanged(bool modified);
    void validityChanged(bool valid);

private:
    void onFormEdited();
    void setError(const QString &message, bool fromYaml);
    void writeYaml(const QByteArray &yaml);

    ResourceForm *m_form;
    QPlainTextEdit *m_yaml;
    QLabel *m_formError;
    QLabel *m_yamlError;
    QTimer *m_yamlSettle;
    std::optional<config::Resource> m_current;
    QString m_error;
    bool m_modified = false;
    bool m_writingYaml = false;
};

} // namespace quarry::ui
