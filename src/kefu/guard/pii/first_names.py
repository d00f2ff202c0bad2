"""Common given names (US and European, frequent in customer messages): a capitalized one followed by a
capitalized word reads as a person's full name ("Megan Payne") even without a cue."""

from __future__ import annotations

FIRST_NAMES = frozenset(
    """
    Aaron Abigail Adam Adrian Alan Albert Alex Alexander Alexandra Alice Alicia Allison Amanda Amber Amy
    Andrea Andrew Angela Ann Anna Anne Anthony Antonio Arthur Ashley Barbara Benjamin Beth Betty
    Beverly Bill Billy Bob Bobby Bradley Brandon Brenda Brian Brittany Bruce Bryan Carl Carlos Carol
    Caroline Catherine Charles Charlotte Cheryl Chloe Chris Christian Christina Christine Christopher
    Cindy Claire Colleen Craig Crystal Cynthia Daniel Danielle David Deborah Debra Denise Dennis Diana
    Diane Donald Donna Doris Dorothy Douglas Dustin Dylan Edward Elena Elizabeth Ella Emily Emma Eric
    Erica Erin Ethan Eugene Evelyn Frances Frank Gabriel Gary George Gerald Gloria Gregory Hannah Harold
    Heather Helen Henry Holly Isabella Jack Jacob Jacqueline James Jamie Jane Janet Janice Jason Jean
    Jeffrey Jennifer Jeremy Jerry Jesse Jessica Joan Joe John Johnny Jonathan Jose Joseph Joshua
    Joyce Juan Judith Judy Julia Julie Justin Karen Katherine Kathleen Kathryn Kayla Keith Kelly Kendra
    Kenneth Kevin Kimberly Kristin Kyle Larry Laura Lauren Lawrence Leah Linda Lisa Logan Lori Louis
    Lucas Luis Margaret Maria Marie Marilyn Mark Martha Martin Mary Matthew Megan Melissa Michael
    Michelle Mildred Mohammed Monica Nancy Natalie Nathan Nicholas Nicole Noah Olivia Oscar Pamela
    Patricia Patrick Paul Peter Philip Rachel Ralph Randy Raymond Rebecca Richard Robert Roger Ronald
    Rose Roy Russell Ruth Ryan Samantha Samuel Sandra Sara Sarah Scott Sean Shannon Sharon Shelby Shirley
    Sophia Stephanie Stephen Steven Susan Tammy Taylor Teresa Terry Thomas Tiffany Timothy Tina Todd Tony
    Tracy Tyler Valerie Victoria Vincent Virginia Walter Wayne William Willie Zachary
    Ahmed Ali Amir Anders Andreas Antoine Astrid Bjorn Camille Carmen Chen Diego Dimitri Elif Emil Erik
    Fatima Felix Filip Francesca Giulia Hans Hugo Ingrid Ivan Jakob Jan Javier Johan Jorge Juan Julien
    Karl Kenji Klaus Lars Lea Leon Lucia Luca Lukas Magnus Marco Marta Mateo Mehmet Mikael Milan Nadia
    Nils Nina Olga Pablo Pedro Pierre Rafael Sergei Sofia Stefan Sven Tomas Yuki Yusuf Zoe
    """.split()  # noqa: SIM905 - a word list reads better as text
)
