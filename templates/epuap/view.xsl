<?xml version="1.0" encoding="UTF-8"?>
<!-- A readable HTML view of an ePUAP "Pismo ogólne" (wzory 4566 and 1410,
     prefixed or default namespaces alike): what staff see before sending and
     what the service shows for /epuap.xml. Written for formproc; it reads
     the same elements as the official styl.xsl but is not a copy of it.
     Office staff may edit the wording and the CSS freely. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:w4566="http://crd.gov.pl/wzor/2017/10/24/4566/"
    xmlns:w1410="http://crd.gov.pl/wzor/2013/12/12/1410/"
    xmlns:meta="http://crd.gov.pl/xml/schematy/meta/2009/11/16/"
    xmlns:str="http://crd.gov.pl/xml/schematy/struktura/2009/11/16/"
    xmlns:oso="http://crd.gov.pl/xml/schematy/osoba/2009/11/16/"
    xmlns:inst="http://crd.gov.pl/xml/schematy/instytucja/2009/11/16/"
    xmlns:adr="http://crd.gov.pl/xml/schematy/adres/2009/11/09/"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#"
    xmlns:xades="http://uri.etsi.org/01903/v1.3.2#"
    exclude-result-prefixes="w4566 w1410 meta str oso inst adr ds xades">

  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <!-- The two wzory differ only in the namespace of their own elements. -->
  <xsl:variable name="doc" select="/w4566:Dokument | /w1410:Dokument"/>
  <xsl:variable name="dane" select="$doc/w4566:DaneDokumentu | $doc/w1410:DaneDokumentu"/>
  <xsl:variable name="tresc" select="$doc/w4566:TrescDokumentu | $doc/w1410:TrescDokumentu"/>

  <xsl:template match="/">
    <html lang="pl">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>
          <xsl:choose>
            <xsl:when test="string-length($tresc/*[local-name()='Tytul']) &gt; 0">
              <xsl:value-of select="$tresc/*[local-name()='Tytul']"/>
            </xsl:when>
            <xsl:otherwise>Pismo ogólne do podmiotu publicznego</xsl:otherwise>
          </xsl:choose>
        </title>
        <style>
          body { font-family: Arial, Helvetica, sans-serif; font-size: 15px; line-height: 1.45;
                 max-width: 52em; margin: 2em auto; padding: 0 1em; color: #111; }
          header { display: flex; justify-content: space-between; gap: 2em; flex-wrap: wrap; }
          .party h2, .meta h2, section h2 { font-size: 13px; text-transform: uppercase; color: #555;
                 margin: 0 0 .3em 0; letter-spacing: .03em; }
          .party { min-width: 18em; }
          .addressee { margin-left: auto; }
          .place-date { text-align: right; margin: 1.5em 0 0 0; }
          .sign { margin: 1em 0 0 0; }
          .kind { text-align: center; text-transform: uppercase; font-size: 15px; margin: 2em 0 .3em 0; }
          h1 { text-align: center; font-size: 18px; margin: .2em 0 1.5em 0; }
          .text p { white-space: pre-line; margin: 0 0 1em 0; }
          .attachments li { margin-bottom: .3em; }
          .hash { font-family: monospace; font-size: 12px; color: #444; word-break: break-all; }
          .signature { border-top: 1px solid #999; margin-top: 2em; padding-top: .6em; font-size: 13px; }
          .unsigned { font-weight: bold; }
        </style>
      </head>
      <body>
        <xsl:if test="not($doc)">
          <p>To nie jest dokument „Pismo ogólne do podmiotu publicznego”.</p>
        </xsl:if>
        <xsl:if test="$doc">
          <header>
            <div class="party sender">
              <h2>Nadawca</h2>
              <xsl:apply-templates select="$dane/str:Nadawcy/meta:Podmiot"/>
            </div>
            <div class="party addressee">
              <h2>Adresat</h2>
              <xsl:apply-templates select="$dane/str:Adresaci/meta:Podmiot"/>
            </div>
          </header>

          <p class="place-date">
            <xsl:value-of select="$tresc/*[local-name()='MiejscowoscDokumentu']"/>
            <xsl:if test="string-length($tresc/*[local-name()='MiejscowoscDokumentu']) &gt; 0 and $dane/meta:Data[@typDaty='stworzony']">, </xsl:if>
            <xsl:value-of select="$dane/meta:Data[@typDaty='stworzony']/meta:Czas"/>
          </p>

          <xsl:if test="string-length($dane/str:Naglowek/meta:Identyfikator/meta:Wartosc) &gt; 0">
            <p class="sign">Znak sprawy: <xsl:value-of select="$dane/str:Naglowek/meta:Identyfikator/meta:Wartosc"/></p>
          </xsl:if>

          <xsl:variable name="rodzaj" select="$tresc/*[local-name()='RodzajWnioskuRozszerzony']"/>
          <xsl:choose>
            <xsl:when test="$rodzaj/@rodzaj = 'inne pismo' and string-length($rodzaj/@jakiInny) &gt; 0">
              <p class="kind"><xsl:value-of select="$rodzaj/@jakiInny"/></p>
            </xsl:when>
            <xsl:when test="string-length($rodzaj/@rodzaj) &gt; 0 and $rodzaj/@rodzaj != 'inne pismo'">
              <p class="kind"><xsl:value-of select="$rodzaj/@rodzaj"/></p>
            </xsl:when>
          </xsl:choose>
          <xsl:if test="string-length($dane/str:Naglowek/str:NazwaDokumentu) &gt; 0">
            <p class="kind"><xsl:value-of select="$dane/str:Naglowek/str:NazwaDokumentu"/></p>
          </xsl:if>
          <h1><xsl:value-of select="$tresc/*[local-name()='Tytul']"/></h1>

          <div class="text">
            <xsl:for-each select="$tresc/*[local-name()='Informacje']/*[local-name()='Informacja'][string-length(.) &gt; 0]">
              <p><xsl:value-of select="."/></p>
            </xsl:for-each>
            <xsl:for-each select="$tresc/*[local-name()='Oswiadczenia']/*[local-name()='Oswiadczenie'][string-length(.) &gt; 0]">
              <p><xsl:value-of select="."/></p>
            </xsl:for-each>
            <xsl:for-each select="$tresc/*[local-name()='InformacjeDodatkowe']/*[local-name()='Informacja'][string-length(.) &gt; 0]">
              <p><xsl:value-of select="."/></p>
            </xsl:for-each>
          </div>

          <xsl:apply-templates select="$tresc/*[local-name()='Podpis']"/>

          <xsl:if test="$tresc/str:Zalaczniki/str:Zalacznik">
            <section class="attachments">
              <h2>Załączniki</h2>
              <ol>
                <xsl:for-each select="$tresc/str:Zalaczniki/str:Zalacznik">
                  <li>
                    <xsl:choose>
                      <xsl:when test="@kodowanie = 'URI'">
                        <a href="{str:DaneZalacznika}"><xsl:value-of select="@nazwaPliku"/></a>
                      </xsl:when>
                      <xsl:otherwise><xsl:value-of select="@nazwaPliku"/></xsl:otherwise>
                    </xsl:choose>
                    <xsl:if test="string-length(@format) &gt; 0"> (<xsl:value-of select="@format"/>)</xsl:if>
                    <xsl:if test="string-length(str:OpisZalacznika) &gt; 0">
                      <br/><span class="hash"><xsl:value-of select="str:OpisZalacznika"/></span>
                    </xsl:if>
                  </li>
                </xsl:for-each>
              </ol>
            </section>
          </xsl:if>

          <xsl:if test="$tresc/*[local-name()='DoWiadomosci']/meta:Podmiot">
            <section>
              <h2>Do wiadomości</h2>
              <ol>
                <xsl:for-each select="$tresc/*[local-name()='DoWiadomosci']/meta:Podmiot">
                  <li><xsl:apply-templates select="."/></li>
                </xsl:for-each>
              </ol>
            </section>
          </xsl:if>

          <div class="signature">
            <xsl:choose>
              <xsl:when test="$doc/ds:Signature[string-length(ds:SignatureValue) &gt; 0]">
                <xsl:for-each select="$doc/ds:Signature">
                  <p>
                    Dokument podpisany elektronicznie (XAdES); ważność podpisu sprawdza program do weryfikacji podpisu.
                    <xsl:for-each select=".//xades:SigningTime">
                      <br/>Data złożenia podpisu: <xsl:value-of select="."/>
                    </xsl:for-each>
                    <xsl:for-each select=".//xades:SigningCertificate/xades:Cert/xades:IssuerSerial">
                      <br/>Certyfikat nr <xsl:value-of select="ds:X509SerialNumber"/>, wystawca: <xsl:value-of select="ds:X509IssuerName"/>
                    </xsl:for-each>
                  </p>
                </xsl:for-each>
              </xsl:when>
              <xsl:otherwise>
                <p class="unsigned">Dokument nie zawiera podpisu.</p>
              </xsl:otherwise>
            </xsl:choose>
          </div>
        </xsl:if>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="meta:Podmiot">
    <xsl:apply-templates select="inst:Instytucja | oso:Osoba"/>
  </xsl:template>

  <xsl:template match="inst:Instytucja">
    <div class="name"><strong><xsl:value-of select="inst:NazwaInstytucji"/></strong></div>
    <xsl:for-each select=".//inst:Jednostka/inst:NazwaInstytucji">
      <div><xsl:value-of select="."/></div>
    </xsl:for-each>
    <xsl:apply-templates select="adr:Adres"/>
    <xsl:apply-templates select="inst:IdInstytucji"/>
    <xsl:apply-templates select="adr:Kontakt"/>
  </xsl:template>

  <xsl:template match="oso:Osoba">
    <div class="name">
      <strong>
        <xsl:value-of select="oso:Imie"/>
        <xsl:if test="string-length(oso:ImieDrugie) &gt; 0"><xsl:text> </xsl:text><xsl:value-of select="oso:ImieDrugie"/></xsl:if>
        <xsl:for-each select="oso:Nazwisko"><xsl:text> </xsl:text><xsl:value-of select="."/></xsl:for-each>
      </strong>
    </div>
    <xsl:apply-templates select="adr:Adres"/>
    <xsl:apply-templates select="adr:Kontakt"/>
  </xsl:template>

  <xsl:template match="adr:Adres">
    <xsl:if test="string-length(adr:Ulica) &gt; 0 or string-length(adr:Budynek) &gt; 0">
      <div>
        <xsl:value-of select="adr:Ulica"/>
        <xsl:if test="string-length(adr:Ulica) &gt; 0 and string-length(adr:Budynek) &gt; 0"><xsl:text> </xsl:text></xsl:if>
        <xsl:value-of select="adr:Budynek"/>
        <xsl:if test="string-length(adr:Lokal) &gt; 0">/<xsl:value-of select="adr:Lokal"/></xsl:if>
      </div>
    </xsl:if>
    <xsl:if test="string-length(adr:KodPocztowy) &gt; 0 or string-length(adr:Miejscowosc) &gt; 0">
      <div>
        <xsl:value-of select="adr:KodPocztowy"/>
        <xsl:if test="string-length(adr:KodPocztowy) &gt; 0"><xsl:text> </xsl:text></xsl:if>
        <xsl:choose>
          <xsl:when test="string-length(adr:Poczta) &gt; 0"><xsl:value-of select="adr:Poczta"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="adr:Miejscowosc"/></xsl:otherwise>
        </xsl:choose>
      </div>
    </xsl:if>
    <xsl:if test="string-length(adr:Gmina) &gt; 0"><div>gmina <xsl:value-of select="adr:Gmina"/></div></xsl:if>
    <xsl:if test="string-length(adr:Powiat) &gt; 0"><div>powiat <xsl:value-of select="adr:Powiat"/></div></xsl:if>
    <xsl:if test="string-length(adr:Wojewodztwo) &gt; 0"><div>województwo <xsl:value-of select="adr:Wojewodztwo"/></div></xsl:if>
  </xsl:template>

  <xsl:template match="inst:IdInstytucji">
    <xsl:if test="string-length(inst:NIP) &gt; 0"><div>NIP: <xsl:value-of select="inst:NIP"/></div></xsl:if>
    <xsl:if test="string-length(inst:REGON) &gt; 0"><div>REGON: <xsl:value-of select="inst:REGON"/></div></xsl:if>
    <xsl:if test="string-length(inst:KRS) &gt; 0"><div>KRS: <xsl:value-of select="inst:KRS"/></div></xsl:if>
    <xsl:for-each select="inst:InnyIdentyfikator">
      <div><xsl:value-of select="inst:TypIdentyfikatora"/>: <xsl:value-of select="inst:WartoscIdentyfikatora"/></div>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="adr:Kontakt">
    <xsl:for-each select="adr:Telefon[string-length(.) &gt; 0]"><div>tel. <xsl:value-of select="."/></div></xsl:for-each>
    <xsl:for-each select="adr:Email[string-length(.) &gt; 0]"><div>e-mail: <xsl:value-of select="."/></div></xsl:for-each>
    <xsl:for-each select="adr:Faks[string-length(.) &gt; 0]"><div>faks: <xsl:value-of select="."/></div></xsl:for-each>
    <xsl:for-each select="adr:URIKontakt[string-length(.) &gt; 0] | adr:InnyKontakt[string-length(.) &gt; 0]"><div><xsl:value-of select="."/></div></xsl:for-each>
  </xsl:template>

  <xsl:template match="*[local-name()='Podpis']">
    <div class="signatory">
      <xsl:if test="string-length(*[local-name()='ZUpowaznienia']) &gt; 0">
        <div>Z upoważnienia <xsl:value-of select="*[local-name()='ZUpowaznienia']"/></div>
      </xsl:if>
      <div>
        <xsl:value-of select="oso:Imie"/>
        <xsl:for-each select="oso:Nazwisko"><xsl:text> </xsl:text><xsl:value-of select="."/></xsl:for-each>
      </div>
      <xsl:if test="string-length(*[local-name()='Stanowisko']) &gt; 0">
        <div><xsl:value-of select="*[local-name()='Stanowisko']"/></div>
      </xsl:if>
    </div>
  </xsl:template>
</xsl:stylesheet>
